using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cohort.Core.Syncs;
using Cohort.Core.Time;
using Cohort.Sql;
using Cohort.Sql.Compile;
using Cohort.Sync.Definitions;
using Cohort.Sync.State;

namespace Cohort.Sync.Planning;

/// <summary>
/// The sync's result as SQL: the compiled members query of its audience, wrapped to give each row its key as text and
/// its payload as canonical JSON text:
/// <c>{"fields":{...},"identifiers":{...}}</c>, keys in ordinal order, no spaces, values rendered identically on
/// DuckDB and PostgreSQL (docs/sync.md, "Payload and hash").
/// </summary>
internal static class PayloadSql
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>A SELECT of (key, payload) for the sync's current result, with its parameters.</summary>
    public static CompiledSql Result(BoundSync sync, AudienceCompiler compiler, EvaluationContext evaluation, StateDialect dialect)
    {
        var columns = new List<string>();
        var traits = new List<string>();
        if (sync.KeyColumn != sync.Model.PrimaryKey) columns.Add(sync.KeyColumn);
        foreach (var item in sync.Payload)
        {
            var list = item.Source.Kind == ValueSourceKind.Trait ? traits : columns;
            if (!list.Contains(item.Source.Name)) list.Add(item.Source.Name);
        }
        var splitGroup = sync.Definition.SplitGroup is not null;
        var members = compiler.Members(sync.Query, evaluation, dialect.Name, new MemberColumns(columns, traits, splitGroup));

        // Members returns key, the columns, the traits, then split_group: name them by position so no column name matters.
        string Position(int i) => $"m.c{i}";
        string Of(ValueSource source) => Position(source.Kind == ValueSourceKind.Trait
            ? 1 + columns.Count + traits.IndexOf(source.Name)
            : 1 + columns.IndexOf(source.Name));
        var width = 1 + columns.Count + traits.Count + (splitGroup ? 1 : 0);

        var parameters = members.Parameters.ToBuilder();
        string Param(string text)
        {
            parameters.Add(new SqlParameter(parameters.Count + 1, SqlParameterType.String, text));
            return $"${parameters.Count}";
        }

        var key = dialect.Text(sync.KeyColumn == sync.Model.PrimaryKey ? Position(0) : Of(new ValueSource(ValueSourceKind.Column, sync.KeyColumn)), sync.KeyType);
        var filters = new List<string> { $"{key} IS NOT NULL" };
        if (splitGroup) filters.Add($"{Position(width - 1)} = {Param(sync.Definition.SplitGroup!)}");

        // Numbers are rendered from their text and finiteness, computed once per row in an inner projection: the
        // rendering refers to the text several times, and engines do not reliably compute a repeated expression once.
        var numbers = new Dictionary<string, (string Text, string Finite)>(StringComparer.Ordinal);
        var inner = new List<string>();
        foreach (var item in sync.Payload.Where(p => p.Type is { IsArray: false, Element: Core.Schema.ScalarType.Number }))
        {
            var column = Of(item.Source);
            if (numbers.ContainsKey(column)) continue;
            var n = numbers.Count;
            numbers[column] = ($"m.cohort_t{n}", $"m.cohort_f{n}");
            inner.Add($"{dialect.NumberTextColumn(column)} AS cohort_t{n}");
            inner.Add($"{dialect.NumberFinite(column)} AS cohort_f{n}");
        }
        var payload = Payload(sync, dialect, Of, Param, numbers);

        var aliases = string.Join(", ", Enumerable.Range(0, width).Select(i => $"c{i}"));
        var rows = $"SELECT m.*{string.Concat(inner.Select(i => ", " + i))}\nFROM (\n{members.Text}\n) AS m ({aliases})\nWHERE {string.Join(" AND ", filters)}";
        var select = $"SELECT {key} AS key, {payload} AS payload\nFROM (\n{rows}\n) AS m";
        if (sync.KeyColumn != sync.Model.PrimaryKey)
        {
            // A key other than the primary key may repeat: the row with the lowest primary key is sent (docs/sync.md).
            select = $"SELECT key, payload FROM (\nSELECT {key} AS key, {payload} AS payload, row_number() OVER (PARTITION BY {key} ORDER BY {Position(0)}) AS cohort_rank\n" +
                     $"FROM (\n{rows}\n) AS m\n) AS ranked WHERE cohort_rank = 1";
        }
        return new CompiledSql(dialect.Name, select, parameters.ToImmutable());
    }

    private static string Payload(BoundSync sync, StateDialect dialect, Func<ValueSource, string> column, Func<string, string> param,
        IReadOnlyDictionary<string, (string Text, string Finite)> numbers)
    {
        string Json(PayloadItem item) => numbers.TryGetValue(column(item.Source), out var n) ? dialect.NumberJson(n.Text, n.Finite) : dialect.Json(column(item.Source), item.Type);
        string Text(PayloadItem item) => numbers.TryGetValue(column(item.Source), out var n) ? dialect.NumberJson(n.Text, n.Finite) : dialect.Text(column(item.Source), item.Type);
        var parts = new List<string>();
        var text = "{\"fields\":{";
        var first = true;
        foreach (var field in sync.Fields.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            text += (first ? "" : ",") + Quote(field.Name) + ":";
            parts.Add(param(text));
            parts.Add($"coalesce({Json(field)}, 'null')");
            text = "";
            first = false;
        }
        text += "},\"identifiers\":{";
        first = true;
        foreach (var identifier in sync.Identifiers.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            text += (first ? "" : ",") + Quote(identifier.Name) + ":";
            parts.Add(param(text));
            parts.Add($"coalesce({dialect.JsonString(Text(identifier))}, 'null')");
            text = "";
            first = false;
        }
        text += "}}";
        parts.Add(param(text));
        return "(" + string.Join(" || ", parts) + ")";
    }

    private static string Quote(string name) => JsonSerializer.Serialize(name, new JsonSerializerOptions { Encoder = Encoder });

    /// <summary>The parts of a payload as the destinations receive them: fields (by name) and identifiers (by kind).</summary>
    public static (ImmutableDictionary<string, object?> Fields, ImmutableDictionary<Destinations.Abstractions.IdentifierType, string> Identifiers) Parse(
        string payload, PayloadNames? names = null)
    {
        // A forward-only read of the canonical shape {"fields":{...},"identifiers":{...}}; values may be arrays. Known names
        // are matched in place, so no string is allocated for them.
        names ??= PayloadNames.Empty;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(payload.Length));
        try
        {
            var length = System.Text.Encoding.UTF8.GetBytes(payload, buffer);
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
            var fields = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
            var identifiers = ImmutableDictionary.CreateBuilder<Destinations.Abstractions.IdentifierType, string>();
            reader.Read(); // {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isIdentifiers = reader.ValueTextEquals("identifiers"u8);
                reader.Read(); // { of the section
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (isIdentifiers)
                    {
                        var type = names.Identifier(ref reader);
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String && type is { } kind && reader.GetString() is { Length: > 0 } value)
                            identifiers[kind] = value;
                        else if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject) reader.Skip();
                    }
                    else
                    {
                        var name = names.Field(ref reader);
                        reader.Read();
                        fields[name] = Value(ref reader);
                    }
                }
            }
            return (fields.ToImmutable(), identifiers.ToImmutable());
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static object? Value(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var l)) return l;
                if (reader.TryGetDecimal(out var m)) return m;
                return reader.GetDouble();
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.StartArray:
                var items = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(Value(ref reader));
                return items.ToArray();
            case JsonTokenType.StartObject:
                using (var document = JsonDocument.ParseValue(ref reader)) return document.RootElement.GetRawText();
            default:
                return null;
        }
    }
}

/// <summary>The field and identifier names a sync's payloads hold, pre-encoded, so parsing a payload allocates no name strings.</summary>
internal sealed class PayloadNames
{
    private readonly (byte[] Utf8, string Name)[] _fields;
    private readonly (byte[] Utf8, Destinations.Abstractions.IdentifierType Type)[] _identifiers;

    public static readonly PayloadNames Empty = new([], []);

    public PayloadNames(IEnumerable<string> fields, IEnumerable<Destinations.Abstractions.IdentifierType> identifiers)
    {
        _fields = [.. fields.Select(f => (System.Text.Encoding.UTF8.GetBytes(f), f))];
        _identifiers = [.. identifiers.Select(i => (System.Text.Encoding.UTF8.GetBytes(Destinations.Values.IdentifierTypes.NameOf(i)), i))];
    }

    public string Field(ref Utf8JsonReader reader)
    {
        foreach (var (utf8, name) in _fields)
        {
            if (reader.ValueTextEquals(utf8)) return name;
        }
        return reader.GetString()!;
    }

    public Destinations.Abstractions.IdentifierType? Identifier(ref Utf8JsonReader reader)
    {
        foreach (var (utf8, type) in _identifiers)
        {
            if (reader.ValueTextEquals(utf8)) return type;
        }
        return Destinations.Values.IdentifierTypes.TryParse(reader.GetString()!, out var parsed) ? parsed : null;
    }
}
