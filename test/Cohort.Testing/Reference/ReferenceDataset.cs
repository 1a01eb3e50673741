using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cohort.Core.Schema;

namespace Cohort.Testing.Reference;

/// <summary>
/// Rows per model name, as a harness would load them into a warehouse table (or the table behind a SQL model).
/// A row maps column names to typed values: string, long (integer), decimal (number), bool, DateOnly (date),
/// DateTime with Kind Utc and microsecond precision (timestamp), IReadOnlyList&lt;object?&gt; (arrays), or null.
/// A column missing from a row is NULL. Duplicate rows are kept: they are separate rows.
/// </summary>
public sealed class ReferenceDataset
{
    public static readonly ReferenceDataset Empty = new(ImmutableDictionary<string, ImmutableArray<IReadOnlyDictionary<string, object?>>>.Empty);

    private readonly ImmutableDictionary<string, ImmutableArray<IReadOnlyDictionary<string, object?>>> rows;

    private ReferenceDataset(ImmutableDictionary<string, ImmutableArray<IReadOnlyDictionary<string, object?>>> rows) => this.rows = rows;

    /// <summary>The models that have rows, in name order.</summary>
    public IEnumerable<string> Models => rows.Keys.Order(StringComparer.Ordinal);

    /// <summary>The rows of a model, in the order they were added; empty when the model has none.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows(string model) =>
        rows.TryGetValue(model, out var list) ? list : [];

    /// <summary>A copy with <paramref name="added"/> appended to the model's rows.</summary>
    public ReferenceDataset With(string model, IEnumerable<IReadOnlyDictionary<string, object?>> added) =>
        new(rows.SetItem(model, (rows.TryGetValue(model, out var list) ? list : []).AddRange(added)));

    public ReferenceDataset With(string model, params IReadOnlyDictionary<string, object?>[] added) =>
        With(model, (IEnumerable<IReadOnlyDictionary<string, object?>>)added);

    /// <summary>A row from column/value pairs: <c>Row(("person_id", 1L), ("country", "US"))</c>.</summary>
    public static IReadOnlyDictionary<string, object?> Row(params (string Column, object? Value)[] values) =>
        values.ToImmutableDictionary(v => v.Column, v => v.Value, StringComparer.Ordinal);

    /// <summary>A column's value in a row; a missing column is NULL.</summary>
    public static object? Get(IReadOnlyDictionary<string, object?> row, string column) =>
        row.TryGetValue(column, out var v) ? v : null;

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> when the data does not fit the schema: unknown models or
    /// columns, values of the wrong CLR type, non-UTC or sub-microsecond timestamps, NULL or repeated primary keys.
    /// </summary>
    public void Validate(SchemaDefinition schema)
    {
        foreach (var (modelName, modelRows) in rows)
        {
            var model = schema.FindModel(modelName) ?? throw new InvalidOperationException($"Dataset has rows for unknown model '{modelName}'.");
            var keys = new HashSet<object>(Values.Instance);
            foreach (var row in modelRows)
            {
                foreach (var (column, value) in row)
                {
                    var definition = model.FindColumn(column) ?? throw new InvalidOperationException($"Model '{modelName}' has no column '{column}'.");
                    CheckValue(definition.Type, value, $"{modelName}.{column}");
                }
                if (model.PrimaryKey is { } pk)
                {
                    var key = Get(row, pk) ?? throw new InvalidOperationException($"Model '{modelName}' has a row with a NULL primary key.");
                    if (!keys.Add(key)) throw new InvalidOperationException($"Model '{modelName}' has primary key {key} twice.");
                }
            }
        }
    }

    private static void CheckValue(DataType type, object? value, string where)
    {
        if (value is null) return;
        if (type.IsArray)
        {
            if (value is not IReadOnlyList<object?> items) throw new InvalidOperationException($"{where}: expected a list, got {value.GetType().Name}.");
            foreach (var item in items) CheckValue(new DataType(type.Element), item, where + "[]");
            return;
        }
        var ok = type.Element switch
        {
            ScalarType.String => value is string s && CodePoints.Of(s) is not null,
            ScalarType.Integer => value is long,
            ScalarType.Number => value is decimal,
            ScalarType.Boolean => value is bool,
            ScalarType.Date => value is DateOnly,
            ScalarType.Timestamp => value is DateTime { Kind: DateTimeKind.Utc } t && t.Ticks % 10 == 0,
            _ => false,
        };
        if (!ok) throw new InvalidOperationException($"{where}: {Format(value)} ({value.GetType().Name}) is not a valid {type} value.");
    }

    /// <summary>Every row as one line per model; printed with failing differential cases.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var model in Models)
        {
            text.Append(model).Append(':').AppendLine();
            foreach (var row in rows[model])
            {
                text.Append("  {");
                text.AppendJoin(", ", row.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {Format(c.Value)}"));
                text.Append('}').AppendLine();
            }
        }
        return text.ToString();
    }

    /// <summary>A value as readable, unambiguous text (strings quoted with non-ASCII escaped).</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        long l => l.ToString(CultureInfo.InvariantCulture),
        decimal d => d.ToString(CultureInfo.InvariantCulture) + "m",
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        IReadOnlyList<object?> items => "[" + string.Join(", ", items.Select(Format)) + "]",
        _ => value.ToString() ?? "?",
    };

    private static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c is >= ' ' and <= '~' && c != '"' && c != '\\') text.Append(c);
            else text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }
        return text.Append('"').ToString();
    }
}
