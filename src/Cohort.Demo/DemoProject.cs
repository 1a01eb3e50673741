using System.Globalization;
using System.Reflection;
using Cohort.Demo.Generation;

namespace Cohort.Demo;

/// <summary>Where the demo project's warehouse is: a DuckDB file beside the project, or a PostgreSQL schema.</summary>
public abstract record DemoProjectWarehouse
{
    private DemoProjectWarehouse() { }

    /// <param name="Path">The database file, relative to the project folder (or absolute).</param>
    public sealed record DuckDb(string Path) : DemoProjectWarehouse;

    /// <param name="ConnectionStringEnv">The environment variable holding the connection string.</param>
    public sealed record Postgres(string ConnectionStringEnv, string Schema) : DemoProjectWarehouse;
}

/// <summary>A file of the demo project, relative to the project folder, with forward slashes.</summary>
public sealed record DemoProjectFile(string RelativePath, string Text);

/// <summary>
/// The demo project: <c>cohort.yaml</c>, <c>schema.yaml</c> over the demo tables, and audiences that together use
/// every condition kind and operator family (docs/demo.md lists them). Dates in audiences that only make sense
/// relative to the data (last Black Friday, two years ago) are filled in from the data's anchor.
/// </summary>
public static class DemoProject
{
    public const string ProjectName = "cohort-demo";

    /// <summary>A file that marks a folder as made by <c>cohort demo</c>, which may then rewrite it.</summary>
    public const string MarkerFile = ".cohort-demo";

    public const string DefaultDatabaseFile = "demo.duckdb";

    private const string ResourcePrefix = "Cohort.Demo.Project.";

    /// <summary>Names of the demo audiences, in file order.</summary>
    public static IReadOnlyList<string> AudienceNames { get; } =
        [.. AudienceResources().Select(r => Path.GetFileNameWithoutExtension(AudienceFile(r)))];

    public static IReadOnlyList<DemoProjectFile> Files(DemoProjectWarehouse warehouse, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        ArgumentNullException.ThrowIfNull(options);
        var files = new List<DemoProjectFile>
        {
            new(MarkerFile, Marker(options)),
            new("cohort.yaml", ProjectFile(warehouse, options)),
            new("schema.yaml", Resource(ResourcePrefix + "schema.yaml")),
            new("identity.yaml", Resource(ResourcePrefix + "identity.yaml")),
        };
        foreach (var resource in AudienceResources())
        {
            var file = AudienceFile(resource);
            files.Add(new DemoProjectFile("audiences/" + file, Fill(Resource(resource), options)));
        }
        return files;
    }

    /// <summary>
    /// Writes the project into <paramref name="directory"/>, each file through a temporary name and a rename, so a
    /// file is either the old or the new version. Files of the folder that the demo does not own are left alone.
    /// </summary>
    public static IReadOnlyList<DemoProjectFile> Write(string directory, DemoProjectWarehouse warehouse, DemoOptions options)
    {
        var files = Files(warehouse, options);
        foreach (var file in files)
        {
            var path = Path.Combine(directory, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, file.Text);
            File.Move(temporary, path, overwrite: true);
        }
        return files;
    }

    /// <summary>True when <paramref name="directory"/> is missing, empty, or was made by <c>cohort demo</c>.</summary>
    public static bool CanWriteTo(string directory) =>
        !Directory.Exists(directory)
        || !Directory.EnumerateFileSystemEntries(directory).Any()
        || File.Exists(Path.Combine(directory, MarkerFile));

    /// <summary>Values filled into the audiences: <c>{{black_friday}}</c>, <c>{{cyber_monday}}</c>, <c>{{two_years_ago}}</c>.</summary>
    public static IReadOnlyDictionary<string, string> Placeholders(DemoOptions options)
    {
        var friday = DemoCalendar.LastBlackFriday(options.AnchorUtc);
        string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new Dictionary<string, string>
        {
            ["black_friday"] = Iso(friday),
            ["cyber_monday"] = Iso(friday.AddDays(3)),
            ["two_years_ago"] = Iso(DateOnly.FromDateTime(options.AnchorUtc).AddYears(-2)),
        };
    }

    private static string Fill(string text, DemoOptions options) =>
        Placeholders(options).Aggregate(text, (t, p) => t.Replace("{{" + p.Key + "}}", p.Value, StringComparison.Ordinal));

    private static string Anchor(DemoOptions options) =>
        options.AnchorUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Marker(DemoOptions options) => $"""
        This folder was made by `cohort demo` and is rewritten each time it runs: cohort.yaml, schema.yaml, the
        audiences that come with the demo and the demo warehouse. Files you add are left alone.
        seed: {options.Seed}
        customers: {options.Customers}
        anchor: {Anchor(options)}

        """;

    private static string ProjectFile(DemoProjectWarehouse warehouse, DemoOptions options)
    {
        var source = warehouse switch
        {
            DemoProjectWarehouse.DuckDb d => $"""
                  type: duckdb
                  path: {Quote(d.Path.Replace('\\', '/'))}
                """,
            DemoProjectWarehouse.Postgres p => $"""
                  type: postgres
                  connection_string_env: {p.ConnectionStringEnv}
                  schema: {p.Schema}
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(warehouse)),
        };
        return $"""
            # Made by `cohort demo`: {options.Customers.ToString("N0", CultureInfo.InvariantCulture)} customers, seed {options.Seed}.
            # Every timestamp in the data lies before {Anchor(options)}; evaluate with --as-of {Anchor(options)}
            # to get the numbers `cohort demo` printed. See docs/demo.md.
            name: {ProjectName}
            warehouse:
            {source}
            schema: schema.yaml
            audiences: audiences
            time_zone: UTC

            """;
    }

    /// <summary>A YAML scalar, double-quoted unless it is plainly safe.</summary>
    private static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-') && !value.StartsWith('-')
            ? value
            : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Resources of Project/audiences; MSBuild names them with the folder's separator (/, \ or .).</summary>
    private static IEnumerable<string> AudienceResources() =>
        typeof(DemoProject).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(AudiencePrefix, StringComparison.Ordinal) && n.Length > AudiencePrefix.Length && n[AudiencePrefix.Length] is '/' or '\\' or '.')
            .Order(StringComparer.Ordinal);

    private const string AudiencePrefix = ResourcePrefix + "audiences";

    private static string AudienceFile(string resource) => resource[(AudiencePrefix.Length + 1)..];

    private static string Resource(string name)
    {
        using var stream = typeof(DemoProject).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from {typeof(DemoProject).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
