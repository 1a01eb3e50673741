using System.Globalization;
using System.Text.RegularExpressions;
using Cohort.Sql;
using Cohort.Warehouses;

namespace Cohort.Demo;

/// <summary>
/// Builds a whole demo warehouse so that it is never seen half-written: a DuckDB file is generated under a
/// temporary name and renamed over the target; a PostgreSQL schema is generated as <c>&lt;schema&gt;__building</c>
/// and swapped in with a drop and a rename in one transaction. Re-running replaces the previous demo.
/// </summary>
public static partial class DemoWarehouse
{
    /// <summary>The default PostgreSQL schema of the demo.</summary>
    public const string DefaultSchema = "cohort_demo";

    public static async Task<DemoSummary> BuildDuckDbAsync(
        string path,
        DemoOptions options,
        int? threads = null,
        IProgress<DemoProgress>? progress = null,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var target = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var building = target + ".building";
        DeleteDatabase(building);
        try
        {
            DemoSummary summary;
            await using (var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb(building, threads), cancellationToken).ConfigureAwait(false))
            {
                summary = await DemoGenerator.GenerateAsync(warehouse, options, progress, clock, cancellationToken).ConfigureAwait(false);
            }
            // Closing checkpointed everything into the file; a WAL left beside the old file must not be replayed onto the new one.
            DeleteFile(target + ".wal");
            File.Move(building, target, overwrite: true);
            return summary;
        }
        catch
        {
            DeleteDatabase(building);
            throw;
        }
    }

    public static async Task<DemoSummary> BuildPostgresAsync(
        string connectionString,
        DemoOptions options,
        string schema = DefaultSchema,
        IProgress<DemoProgress>? progress = null,
        TimeProvider? clock = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!IsValidSchemaName(schema))
            throw new ArgumentException(SchemaNameRule(schema), nameof(schema));
        var building = schema + "__building";

        await using (var admin = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(connectionString), cancellationToken).ConfigureAwait(false))
        {
            await EnsureReplaceableAsync(admin, schema, cancellationToken).ConfigureAwait(false);
            await admin.ExecuteScriptAsync($"DROP SCHEMA IF EXISTS {building} CASCADE; CREATE SCHEMA {building}", cancellationToken).ConfigureAwait(false);
        }
        try
        {
            DemoSummary summary;
            await using (var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(connectionString, building), cancellationToken).ConfigureAwait(false))
            {
                summary = await DemoGenerator.GenerateAsync(warehouse, options, progress, clock, cancellationToken).ConfigureAwait(false);
            }
            await using var swap = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(connectionString), cancellationToken).ConfigureAwait(false);
            // One implicit transaction: readers see the old demo or the new one, never neither.
            await swap.ExecuteScriptAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE; ALTER SCHEMA {building} RENAME TO {schema}", cancellationToken).ConfigureAwait(false);
            return summary;
        }
        catch
        {
            try
            {
                await using var cleanup = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(connectionString), CancellationToken.None).ConfigureAwait(false);
                await cleanup.ExecuteScriptAsync($"DROP SCHEMA IF EXISTS {building} CASCADE", CancellationToken.None).ConfigureAwait(false);
            }
            catch (WarehouseException)
            {
                // The failure that brought us here is the one to report; a leftover building schema is dropped next time.
            }
            throw;
        }
    }

    /// <summary>The demo's PostgreSQL schema is a plain name, so it never needs quoting: lower-case letters, digits, underscores.</summary>
    public static bool IsValidSchemaName(string schema) => SchemaName().IsMatch(schema);

    public static string SchemaNameRule(string schema) =>
        $"'{schema}' is not a plain schema name (lower-case letters, digits and underscores, starting with a letter or underscore, at most 50).";

    /// <summary>Refuses to replace a schema that holds anything but a previous demo.</summary>
    private static async Task EnsureReplaceableAsync(IWarehouse warehouse, string schema, CancellationToken ct)
    {
        var catalog = await warehouse.IntrospectAsync(schema, ct).ConfigureAwait(false);
        if (catalog.Tables.IsEmpty) return;
        var isDemo = catalog.FindTable("demo_info", schema) is not null
            && Convert.ToInt64(await warehouse.ScalarAsync(new CompiledSql(SqlDialectName.Postgres,
                $"SELECT count(*) FROM {schema}.demo_info WHERE key = 'generator'", []), ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
        if (!isDemo)
            throw new DemoException($"Schema '{schema}' already holds tables that are not a Cohort demo; choose another schema for the demo.");
    }

    private static void DeleteDatabase(string path)
    {
        DeleteFile(path);
        DeleteFile(path + ".wal");
    }

    private static void DeleteFile(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,49}$")]
    private static partial Regex SchemaName();
}

/// <summary>A demo cannot be built where it was asked to be (the message says why and what to do).</summary>
public sealed class DemoException(string message) : Exception(message);
