using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Cohort.Sql;
using Cohort.Sql.Compile;
using Cohort.Testing.Differential;
using Cohort.Testing.Reference;
using Cohort.Warehouses;

namespace Cohort.Testing.Engines;

/// <summary>
/// The <see cref="TestSchema"/> tables on a real warehouse: create them once, load a <see cref="ReferenceDataset"/>
/// into them (replacing what was there), and run compiled audiences, so engines can be compared with the oracle.
/// </summary>
public sealed class TestSchemaWarehouse(IWarehouse warehouse)
{
    public IWarehouse Warehouse { get; } = warehouse;

    public SqlDialectName Dialect => Warehouse.Dialect;

    public static async Task<TestSchemaWarehouse> CreateAsync(IWarehouse warehouse)
    {
        foreach (var table in TestSchema.Tables)
        {
            var columns = string.Join(", ", table.Columns.Select(c => $"{c.Name} {TypeName(c.Type)}"));
            await warehouse.ExecuteScriptAsync($"CREATE TABLE {table.Name} ({columns})").ConfigureAwait(false);
        }
        return new TestSchemaWarehouse(warehouse);
    }

    /// <summary>Deliberately VARCHAR and DECIMAL, not TEXT and DOUBLE: the compiler must cope with what warehouses hold.</summary>
    private static string TypeName(DataType type) => (type.Element, type.IsArray) switch
    {
        (ScalarType.String, false) => "VARCHAR",
        (ScalarType.Integer, false) => "BIGINT",
        (ScalarType.Number, false) => "DECIMAL(18, 4)",
        (ScalarType.Boolean, false) => "BOOLEAN",
        (ScalarType.Date, false) => "DATE",
        (ScalarType.Timestamp, false) => "TIMESTAMP",
        (ScalarType.String, true) => "VARCHAR[]",
        (ScalarType.Integer, true) => "BIGINT[]",
        (ScalarType.Number, true) => "DECIMAL(18, 4)[]",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public async Task LoadAsync(ReferenceDataset data)
    {
        foreach (var table in TestSchema.Tables)
        {
            await Warehouse.ExecuteScriptAsync($"DELETE FROM {table.Name}").ConfigureAwait(false);
            var rows = data.Rows(table.Name);
            if (rows.Count == 0) continue;
            var columns = table.Columns.Select(c => c.Name).ToList();
            await Warehouse.BulkLoadAsync(table.Name, columns,
                rows.Select(r => columns.Select(c => ReferenceDataset.Get(r, c)).ToArray())).ConfigureAwait(false);
        }
    }

    public async Task<HashSet<object>> MembersAsync(AudienceCompiler compiler, AudienceDefinition audience, EvaluationContext ctx)
    {
        var sql = compiler.Members(audience, ctx, Dialect);
        var keys = new HashSet<object>();
        await foreach (var row in Warehouse.QueryAsync(sql).ConfigureAwait(false))
        {
            if (!keys.Add(row[0]!)) throw new InvalidOperationException($"Key {row[0]} appears twice in the members of '{audience.Name}'.");
        }
        return keys;
    }

    public async Task<Dictionary<object, string>> SplitGroupsAsync(AudienceCompiler compiler, AudienceDefinition audience, EvaluationContext ctx)
    {
        var sql = compiler.Members(audience, ctx, Dialect, new MemberColumns(SplitGroup: true));
        var groups = new Dictionary<object, string>();
        await foreach (var row in Warehouse.QueryAsync(sql).ConfigureAwait(false))
            groups[row[0]!] = (string)row[1]!;
        return groups;
    }

    /// <summary>Counts after each top-level block (blocks only; exclusions and the limit are in the other columns).</summary>
    public async Task<ImmutableArray<long>> BlockCountsAsync(AudienceCompiler compiler, AudienceDefinition audience, EvaluationContext ctx)
    {
        var sql = compiler.BlockCounts(audience, ctx, Dialect);
        await foreach (var row in Warehouse.QueryAsync(sql).ConfigureAwait(false))
            return [.. row.Take(AudienceCompiler.TopLevelBlocks(audience).Count).Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture))];
        throw new InvalidOperationException("The block counts query returned no row.");
    }
}
