using System.Collections.Frozen;
using System.Data.Common;
using System.Text.RegularExpressions;
using Cohort.Core.Diagnostics;
using System.Collections.Immutable;
using Cohort.Core.Documents;
using Cohort.Core.Syncs;
using Cohort.Core.Time;

namespace Cohort.Core.Projects;

/// <summary>Reads <c>cohort.yaml</c>. Unreadable parts fall back to their defaults so the other files can still be checked.</summary>
internal static partial class ProjectReader
{
    private static readonly FrozenSet<string> ProjectKeys = ["name", "warehouse", "schema", "audiences", "time_zone", "syncs", "destinations"];
    private static readonly FrozenSet<string> DuckDbKeys = ["type", "path", "init_sql"];
    private static readonly FrozenSet<string> PostgresKeys = ["type", "connection_string_env", "connection_string", "schema"];
    private static readonly string[] WarehouseTypes = ["duckdb", "postgres"];

    public static ProjectDefinition Read(DocNode root, string directory, DiagnosticBag diagnostics)
    {
        var defaults = ProjectDefinition.Defaults(directory);
        var reader = new NodeReader(diagnostics);
        if (reader.Mapping(root, Messages.ProjectWhat) is not { } mapping) return defaults;
        reader.RejectUnknownKeys(mapping, ProjectKeys, Messages.ProjectWhat);

        var name = mapping.Find("name") is { } nameEntry ? reader.Name(nameEntry.Value, "name") ?? defaults.Name : defaults.Name;
        var warehouse = reader.Required(mapping, "warehouse", Messages.ProjectWhat) is { } warehouseEntry
            ? Warehouse(warehouseEntry.Value, directory, reader) ?? defaults.Warehouse
            : defaults.Warehouse;
        var schema = Path(mapping, "schema", directory, reader) ?? defaults.SchemaPath;
        var audiences = Path(mapping, "audiences", directory, reader) ?? defaults.AudiencesPath;
        var timeZone = "UTC";
        if (mapping.Find("time_zone") is { } zoneEntry && reader.Name(zoneEntry.Value, "time_zone") is { } zoneName)
        {
            if (TimeZones.Find(zoneName, zoneEntry.Value.Location, diagnostics) is not null) timeZone = zoneName;
        }
        var project = new ProjectDefinition(name, directory, warehouse, schema, audiences, timeZone, mapping.Location);
        if (Path(mapping, "syncs", directory, reader) is { } syncs) project = project with { SyncsPath = syncs };
        if (mapping.Find("destinations") is { } destinations)
        {
            if (destinations.Value is DocMapping inline)
                project = project with { InlineDestinations = InlineDestinations(inline, reader) };
            else if (reader.Name(destinations.Value, "destinations") is { } folder)
                project = project with { DestinationsPath = System.IO.Path.GetFullPath(folder, directory) };
        }
        return project;
    }

    /// <summary><c>destinations:</c> written as a mapping: each key names a destination (type, settings, description).</summary>
    private static ImmutableArray<DestinationDefinition> InlineDestinations(DocMapping mapping, NodeReader reader)
    {
        var result = ImmutableArray.CreateBuilder<DestinationDefinition>();
        foreach (var entry in mapping.Entries)
        {
            if (DestinationReader.Read(entry.Value, entry.Key, reader, allowName: false) is { } destination) result.Add(destination);
        }
        return result.ToImmutable();
    }

    private static string? Path(DocMapping mapping, string key, string directory, NodeReader reader) =>
        mapping.Find(key) is { } entry && reader.Name(entry.Value, key) is { } relative
            ? System.IO.Path.GetFullPath(relative, directory)
            : null;

    private static WarehouseConfig? Warehouse(DocNode node, string directory, NodeReader reader)
    {
        if (reader.Mapping(node, Messages.WarehouseWhat) is not { } mapping) return null;
        if (reader.Required(mapping, "type", Messages.WarehouseWhat) is not { } typeEntry || reader.Name(typeEntry.Value, "type") is not { } type)
            return null;
        switch (type)
        {
            case "duckdb":
                reader.RejectUnknownKeys(mapping, DuckDbKeys, Messages.WarehouseWhat);
                return DuckDb(mapping, directory, reader);
            case "postgres":
                reader.RejectUnknownKeys(mapping, PostgresKeys, Messages.WarehouseWhat);
                return Postgres(mapping, reader);
            default:
                reader.Error(DiagnosticCodes.InvalidProject, Messages.UnknownWarehouseType(type, WarehouseTypes), typeEntry.Value.Location,
                    NameSuggester.Nearest(type, WarehouseTypes));
                return null;
        }
    }

    private static WarehouseConfig.DuckDb? DuckDb(DocMapping mapping, string directory, NodeReader reader)
    {
        if (reader.Required(mapping, "path", Messages.WarehouseWhat) is not { } pathEntry || reader.Name(pathEntry.Value, "path") is not { } path)
            return null;
        var resolved = path == WarehouseConfig.DuckDb.Memory ? path : System.IO.Path.GetFullPath(path, directory);
        string? initSql = null;
        if (mapping.Find("init_sql") is { } initEntry && reader.Name(initEntry.Value, "init_sql") is { } init)
        {
            initSql = System.IO.Path.GetFullPath(init, directory);
            if (!File.Exists(initSql))
                reader.Error(DiagnosticCodes.FileNotFound, Messages.FileNotFound(init), initEntry.Value.Location);
        }
        return new WarehouseConfig.DuckDb(resolved, initSql);
    }

    private static WarehouseConfig.Postgres? Postgres(DocMapping mapping, NodeReader reader)
    {
        var source = reader.OneOf(mapping, ["connection_string_env", "connection_string"], Messages.WarehouseWhat, out var conflict);
        if (conflict) return null;
        if (source is null)
        {
            reader.Error(DiagnosticCodes.MissingKey, Messages.PostgresNeedsConnection, mapping.Location);
            return null;
        }
        string? schema = null;
        if (mapping.Find("schema") is { } schemaEntry && (schema = reader.Name(schemaEntry.Value, "schema")) is null) return null;
        if (reader.Name(source.Value, source.Key) is not { } value) return null;
        if (source.Key == "connection_string_env")
        {
            if (EnvironmentName().IsMatch(value)) return new WarehouseConfig.Postgres(value, null, schema);
            reader.Error(DiagnosticCodes.InvalidProject, Messages.InvalidEnvironmentName(value), source.Value.Location);
            return null;
        }
        switch (HasPassword(value))
        {
            case null:
                reader.Error(DiagnosticCodes.InvalidProject, Messages.UnreadableConnectionString, source.Value.Location);
                return null;
            case true:
                reader.Error(DiagnosticCodes.InvalidProject, Messages.PasswordInConnectionString, source.Value.Location, ["connection_string_env"]);
                return null;
            default:
                return new WarehouseConfig.Postgres(null, value, schema);
        }
    }

    /// <summary>Whether a key/value or URI connection string carries a password; null when it cannot be parsed.</summary>
    private static bool? HasPassword(string connectionString)
    {
        if (connectionString.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || connectionString.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri)) return null;
            return uri.UserInfo.Contains(':', StringComparison.Ordinal)
                || uri.Query.Contains("password=", StringComparison.OrdinalIgnoreCase);
        }
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            return builder.Keys.Cast<string>().Any(k =>
                (k.Equals("password", StringComparison.OrdinalIgnoreCase) || k.Equals("pwd", StringComparison.OrdinalIgnoreCase))
                && builder[k] is string secret && secret.Length > 0);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();
}
