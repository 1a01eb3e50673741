using System.Collections.Immutable;
using Cohort.Core.Diagnostics;
using Cohort.Core.Schema;
using Cohort.Sql;
using Cohort.Sql.Dialects;

namespace Cohort.Warehouses.Validation;

/// <summary>
/// Checks a (statically valid) schema against the live warehouse by introspection: missing tables and columns,
/// declared types that differ from the warehouse's, parent keys that are not unique or are NULL, relationship keys
/// whose types differ, and declared event names that never occur. Reads metadata and runs a few aggregate
/// queries; writes nothing.
/// </summary>
public sealed class SchemaChecker(IWarehouse warehouse, string? defaultSchema = null)
{
    private readonly SqlDialect _dialect = SqlDialect.For(warehouse.Dialect);

    public async Task<ImmutableArray<Diagnostic>> CheckAsync(SchemaDefinition schema, CancellationToken cancellationToken = default)
    {
        var bag = new DiagnosticBag();
        var catalog = await warehouse.IntrospectAsync(null, cancellationToken).ConfigureAwait(false);
        var columnsByModel = new Dictionary<string, IReadOnlyList<WarehouseColumn>>(StringComparer.Ordinal);

        foreach (var model in schema.Models)
        {
            var columns = await ColumnsOf(model, catalog, bag, cancellationToken).ConfigureAwait(false);
            if (columns is null) continue;
            columnsByModel[model.Name] = columns;
            CheckColumns(model, columns, bag);
        }

        foreach (var model in schema.Models.Where(m => m.Kind == ModelKind.Parent && m.PrimaryKey is not null && columnsByModel.ContainsKey(m.Name)))
        {
            if (columnsByModel[model.Name].All(c => c.Name != model.PrimaryKey)) continue;
            await CheckKeyAsync(model, bag, cancellationToken).ConfigureAwait(false);
        }

        foreach (var relationship in schema.Relationships)
            CheckRelationship(relationship, columnsByModel, bag);

        foreach (var model in schema.Models.Where(m => m.EventNameColumn is not null && !m.EventNames.IsEmpty && columnsByModel.ContainsKey(m.Name)))
            await CheckEventNamesAsync(model, bag, cancellationToken).ConfigureAwait(false);

        return bag.ToImmutable();
    }

    private async Task<IReadOnlyList<WarehouseColumn>?> ColumnsOf(ModelDefinition model, WarehouseCatalog catalog, DiagnosticBag bag, CancellationToken ct)
    {
        switch (model.Source)
        {
            case ModelSource.Table table:
                var found = catalog.FindTable(table.Name, table.Schema ?? defaultSchema) ?? catalog.FindTable(table.Name);
                if (found is null)
                {
                    var names = catalog.Tables.Select(t => t.Name);
                    bag.Error(DiagnosticCodes.MissingTable,
                        $"Model '{model.Name}' reads table '{table}', which the warehouse does not have.",
                        model.Location, NameSuggester.Nearest(table.Name, names));
                    return null;
                }
                return found.Columns;
            case ModelSource.Query query:
                try
                {
                    return await warehouse.DescribeQueryAsync(query.Sql, ct).ConfigureAwait(false);
                }
                catch (WarehouseException e)
                {
                    bag.Error(DiagnosticCodes.ModelQueryFailed, $"The SQL of model '{model.Name}' does not run: {e.Message}", model.Location);
                    return null;
                }
            default:
                return null;
        }
    }

    private static void CheckColumns(ModelDefinition model, IReadOnlyList<WarehouseColumn> actual, DiagnosticBag bag)
    {
        foreach (var column in model.Columns)
        {
            var found = actual.FirstOrDefault(c => c.Name == column.Name);
            if (found is null)
            {
                bag.Error(DiagnosticCodes.MissingColumn,
                    $"Column '{column.Name}' of model '{model.Name}' is not in the warehouse.",
                    column.Location ?? model.Location, NameSuggester.Nearest(column.Name, actual.Select(c => c.Name)));
                continue;
            }
            if (found.Type is not { } type)
            {
                bag.Error(DiagnosticCodes.UnsupportedColumnType,
                    $"Column '{model.Name}.{column.Name}' has warehouse type {found.RawType}, which Cohort does not support; cast it in the model's SQL.",
                    column.Location ?? model.Location);
                continue;
            }
            if (!Compatible(column.Type, type))
            {
                bag.Error(DiagnosticCodes.TypeMismatch,
                    $"Column '{model.Name}.{column.Name}' is declared {column.Type} but the warehouse has {found.RawType} ({type}).",
                    column.Location ?? model.Location, [type.ToString()]);
            }
        }
    }

    /// <summary>An integer column may be declared as a number; everything else must match.</summary>
    private static bool Compatible(DataType declared, DataType actual) =>
        declared == actual || (declared.IsArray == actual.IsArray && declared.Element == ScalarType.Number && actual.Element == ScalarType.Integer);

    private async Task CheckKeyAsync(ModelDefinition model, DiagnosticBag bag, CancellationToken ct)
    {
        var key = _dialect.QuoteIdentifier(model.PrimaryKey!);
        var text = $"SELECT count(*) - count({key}), count({key}) - count(DISTINCT {key}) FROM {Source(model)} AS m";
        await foreach (var row in warehouse.QueryAsync(new CompiledSql(warehouse.Dialect, text, []), ct).ConfigureAwait(false))
        {
            var nulls = Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture);
            var repeats = Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture);
            if (nulls > 0)
                bag.Error(DiagnosticCodes.KeyNotUnique,
                    $"Primary key '{model.Name}.{model.PrimaryKey}' is NULL in {nulls} row(s); audiences never include those rows.", model.Location);
            if (repeats > 0)
                bag.Error(DiagnosticCodes.KeyNotUnique,
                    $"Primary key '{model.Name}.{model.PrimaryKey}' is not unique: {repeats} row(s) repeat a key that another row has.", model.Location);
        }
    }

    private static void CheckRelationship(RelationshipDefinition r, IReadOnlyDictionary<string, IReadOnlyList<WarehouseColumn>> columns, DiagnosticBag bag)
    {
        DataType? TypeOf(string model, string column) =>
            columns.TryGetValue(model, out var list) ? list.FirstOrDefault(c => c.Name == column)?.Type : null;

        void Compare(string leftModel, string leftColumn, string rightModel, string rightColumn)
        {
            if (TypeOf(leftModel, leftColumn) is not { } left || TypeOf(rightModel, rightColumn) is not { } right) return;
            if (left != right && !(left.IsNumeric && right.IsNumeric))
                bag.Error(DiagnosticCodes.RelationshipKeyTypesDiffer,
                    $"Relationship '{r.Name}' joins {leftModel}.{leftColumn} ({left}) to {rightModel}.{rightColumn} ({right}); the key types differ.",
                    r.Location);
        }

        if (r.Through is { } through)
        {
            Compare(r.From, r.FromKey, through.Model, through.FromKey);
            Compare(through.Model, through.ToKey, r.To, r.ToKey);
        }
        else
        {
            Compare(r.From, r.FromKey, r.To, r.ToKey);
        }
    }

    private async Task CheckEventNamesAsync(ModelDefinition model, DiagnosticBag bag, CancellationToken ct)
    {
        var column = _dialect.QuoteIdentifier(model.EventNameColumn!);
        var placeholders = string.Join(", ", model.EventNames.Select((_, i) => _dialect.Placeholder(i + 1)));
        var text = $"SELECT DISTINCT {column} FROM {Source(model)} AS m WHERE {column} IN ({placeholders})";
        var parameters = model.EventNames.Select((n, i) => new SqlParameter(i + 1, SqlParameterType.String, n)).ToImmutableArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in warehouse.QueryAsync(new CompiledSql(warehouse.Dialect, text, parameters), ct).ConfigureAwait(false))
            if (row[0] is string name) seen.Add(name);
        foreach (var missing in model.EventNames.Where(n => !seen.Contains(n)))
            bag.Warning(DiagnosticCodes.EventNameNotInWarehouse,
                $"Event '{missing}' is declared on model '{model.Name}' but no row of the warehouse has it (yet).", model.Location);
    }

    private string Source(ModelDefinition model) => model.Source switch
    {
        ModelSource.Table t => t.Schema is null ? _dialect.QuoteIdentifier(t.Name) : $"{_dialect.QuoteIdentifier(t.Schema)}.{_dialect.QuoteIdentifier(t.Name)}",
        ModelSource.Query q => $"({q.Sql.Trim().TrimEnd(';')})",
        _ => throw new InvalidOperationException(),
    };
}
