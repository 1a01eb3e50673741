using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Cohort.Core.Schema;
using Cohort.Sql;
using Cohort.Sql.Dialects;

namespace Cohort.Warehouses.Projects;

/// <summary>
/// Proposes a schema for an existing warehouse, for <c>cohort init</c>: a first draft for people to edit, guessed
/// from names, keys and types.
/// <list type="bullet">
/// <item>A table's key is a unique, non-NULL column named <c>id</c>, <c>&lt;table&gt;_id</c> or <c>&lt;singular&gt;_id</c> (checked with a query).</item>
/// <item>A column refers to another table when its name is that table's key (<c>orders.customer_id</c> to
/// <c>customers.customer_id</c>, or <c>user_id</c> to <c>users.id</c>) and the types agree.</item>
/// <item>The parent is the keyed table most other tables refer to (ties go to names such as customers or users).</item>
/// <item>Event models: tables with a timestamp and an event-name column (event, event_name, event_type, action), or
/// append-only tables (a timestamp and a reference to the parent but no key) as one-event models.</item>
/// <item>A table that refers to exactly two keyed tables other than the parent joins them many-to-many.</item>
/// <item>PII from column names (email, phone, name, address, birthday, ...); enum values for text columns with at
/// most <see cref="MaxEnumValues"/> distinct values.</item>
/// </list>
/// Reads metadata and runs aggregate queries; writes nothing.
/// </summary>
public sealed partial class SchemaProposer(IWarehouse warehouse)
{
    public const int MaxEnumValues = 12;
    private const int MaxEventNames = 100;
    private const int MaxEnumValueLength = 40;

    private static readonly string[] ParentNames = ["customers", "users", "accounts", "people", "persons", "contacts", "members", "profiles", "clients"];
    private static readonly string[] EventNameColumns = ["event", "event_name", "event_type", "action", "activity"];
    private static readonly string[] TimestampNames =
        ["occurred_at", "event_time", "timestamp", "ts", "created_at", "ordered_at", "started_at", "signed_up_at", "subscribed_at", "sent_at", "received_at"];

    private readonly SqlDialect _dialect = SqlDialect.For(warehouse.Dialect);

    /// <param name="schema">The warehouse schema to read; default <c>main</c> (DuckDB) or <c>public</c> (PostgreSQL).</param>
    public async Task<SchemaProposal> ProposeAsync(string? schema = null, CancellationToken cancellationToken = default)
    {
        var schemaName = schema ?? (warehouse.Dialect == SqlDialectName.Postgres ? "public" : "main");
        var catalog = await warehouse.IntrospectAsync(schemaName, cancellationToken).ConfigureAwait(false);
        var notes = new List<string>();
        var tables = new List<TableFacts>();
        foreach (var table in catalog.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
            tables.Add(await FactsAsync(table, cancellationToken).ConfigureAwait(false));
        if (tables.Count == 0)
        {
            notes.Add($"Schema '{schemaName}' has no tables.");
            return new SchemaProposal([], [], [.. notes]);
        }

        var references = FindReferences(tables);
        var parent = ChooseParent(tables, references, notes);
        var models = new List<ProposedModel>();
        foreach (var facts in tables)
            models.Add(await ModelAsync(facts, parent, references, cancellationToken).ConfigureAwait(false));
        var relationships = Relationships(models, references, parent);
        if (parent is null)
            notes.Add("No table is clearly the parent (the entity audiences select); set 'kind: parent' and 'primary_key' on one model.");
        return new SchemaProposal([.. models.OrderBy(m => m.Kind == ModelKind.Parent ? 0 : m.Kind == ModelKind.Related ? 1 : 2).ThenBy(m => m.Name, StringComparer.Ordinal)],
            [.. relationships], [.. notes]);
    }

    // ----- facts about each table -----

    private sealed record TableFacts(WarehouseTable Table, string ModelName, string? Key, long Rows);

    private sealed record Reference(TableFacts From, string Column, TableFacts To, string ToKey);

    private async Task<TableFacts> FactsAsync(WarehouseTable table, CancellationToken ct)
    {
        var candidates = KeyNames(table.Name)
            .Select(n => table.FindColumn(n))
            .Where(c => c?.Type is { IsArray: false, Element: ScalarType.Integer or ScalarType.String })
            .Select(c => c!.Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var parts = new List<string> { "count(*)" };
        foreach (var c in candidates)
        {
            var q = _dialect.QuoteIdentifier(c);
            parts.Add($"count({q})");
            parts.Add($"count(DISTINCT {q})");
        }
        var row = await SingleRowAsync($"SELECT {string.Join(", ", parts)} FROM {Quoted(table)}", ct).ConfigureAwait(false);
        var rows = Long(row[0]);
        string? key = null;
        for (var i = 0; i < candidates.Count && key is null; i++)
        {
            if (rows > 0 && Long(row[1 + 2 * i]) == rows && Long(row[2 + 2 * i]) == rows) key = candidates[i];
        }
        return new TableFacts(table, ModelName(table.Name), key, rows);
    }

    /// <summary>
    /// Column names that would be this table's key: id, customers_id, customer_id for customers; also the last word's
    /// (contact_id for crm_contacts).
    /// </summary>
    private static IEnumerable<string> KeyNames(string table)
    {
        var last = table[(table.LastIndexOf('_') + 1)..];
        return new[] { "id", table + "_id" }
            .Concat(Singulars(table).Select(s => s + "_id"))
            .Concat(last.Length < table.Length ? Singulars(last).Select(s => s + "_id") : []);
    }

    private static IEnumerable<string> Singulars(string table)
    {
        var t = table.ToLowerInvariant();
        if (t.EndsWith("ies", StringComparison.Ordinal)) yield return t[..^3] + "y";
        if (t.EndsWith("ses", StringComparison.Ordinal) || t.EndsWith("xes", StringComparison.Ordinal)) yield return t[..^2];
        if (t.EndsWith('s')) yield return t[..^1];
        if (t == "people") yield return "person";
    }

    /// <summary>The name a column would have in another table that refers to this table's key.</summary>
    private static IEnumerable<string> ReferenceNames(TableFacts t) =>
        t.Key is null ? [] : t.Key == "id" ? Singulars(t.Table.Name).Select(s => s + "_id") : [t.Key];

    private static List<Reference> FindReferences(List<TableFacts> tables)
    {
        var owners = new Dictionary<string, List<TableFacts>>(StringComparer.Ordinal);
        foreach (var t in tables)
            foreach (var name in ReferenceNames(t))
                (owners.TryGetValue(name, out var list) ? list : owners[name] = []).Add(t);
        var references = new List<Reference>();
        foreach (var from in tables)
        {
            foreach (var column in from.Table.Columns)
            {
                if (!owners.TryGetValue(column.Name, out var candidates)) continue;
                // Prefer the table the column is named after (customer_id -> customers) when several could own it.
                var to = candidates.Where(c => c != from)
                    .OrderByDescending(c => Singulars(c.Table.Name).Any(s => column.Name == s + "_id"))
                    .FirstOrDefault();
                if (to is null) continue;
                var keyType = to.Table.FindColumn(to.Key!)?.Type;
                if (column.Type is not { } type || keyType is null || !(type == keyType || (type.IsNumeric && keyType.Value.IsNumeric))) continue;
                references.Add(new Reference(from, column.Name, to, to.Key!));
            }
        }
        return references;
    }

    private static TableFacts? ChooseParent(List<TableFacts> tables, List<Reference> references, List<string> notes)
    {
        var referenced = tables
            .Where(t => t.Key is not null && !IsEventTable(t.Table))
            .Select(t => (Table: t, Count: references.Where(r => r.To == t).Select(r => r.From).Distinct().Count()))
            .ToList();
        var best = referenced
            .OrderByDescending(x => x.Count)
            .ThenByDescending(x => ParentNames.Contains(x.Table.Table.Name.ToLowerInvariant()))
            .ThenByDescending(x => x.Table.Rows)
            .ThenBy(x => x.Table.Table.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (best.Table is not null && (best.Count > 0 || ParentNames.Contains(best.Table.Table.Name.ToLowerInvariant()))) return best.Table;
        if (referenced.Count > 0) notes.Add("No keyed table is referred to by others.");
        return null;
    }

    private static bool IsEventTable(WarehouseTable table) => EventNameColumn(table) is not null && TimestampOf(table) is not null;

    private static string? EventNameColumn(WarehouseTable table) =>
        EventNameColumns.FirstOrDefault(n => table.FindColumn(n)?.Type == DataType.String);

    private static string? TimestampOf(WarehouseTable table)
    {
        var timestamps = table.Columns.Where(c => c.Type == DataType.Timestamp).Select(c => c.Name).ToList();
        return TimestampNames.FirstOrDefault(timestamps.Contains)
            ?? timestamps.FirstOrDefault(n => n.EndsWith("_at", StringComparison.Ordinal))
            ?? timestamps.FirstOrDefault();
    }

    // ----- models -----

    private async Task<ProposedModel> ModelAsync(TableFacts facts, TableFacts? parent, List<Reference> references, CancellationToken ct)
    {
        var table = facts.Table;
        var refersTo = references.Where(r => r.From == facts).ToList();
        var referredBy = references.Where(r => r.To == facts).Select(r => r.From.Table.Name).Distinct().ToList();
        var timestamp = TimestampOf(table);
        var eventColumn = EventNameColumn(table);
        var refersToParent = parent is not null && refersTo.Any(r => r.To == parent);

        ModelKind kind;
        string reason;
        string? eventName = null;
        if (facts == parent)
        {
            kind = ModelKind.Parent;
            reason = $"parent: {facts.Key} is unique and not NULL" + (referredBy.Count > 0 ? $", and {Join(referredBy)} refer to it" : "");
        }
        else if (eventColumn is not null && timestamp is not null)
        {
            kind = ModelKind.Event;
            reason = $"event model: timestamp {timestamp}, event names in {eventColumn}";
        }
        else if (timestamp is not null && facts.Key is null && refersToParent && refersTo.Count == 1)
        {
            kind = ModelKind.Event;
            eventName = EventTitle(table.Name);
            reason = $"one-event model: an append-only table (no key) with timestamp {timestamp}; each row is one '{eventName}'";
        }
        else
        {
            kind = ModelKind.Related;
            var links = new List<string>();
            if (refersTo.Count > 0) links.Add($"refers to {Join(refersTo.Select(r => r.To.Table.Name).Distinct())}");
            if (referredBy.Count > 0) links.Add($"{Join(referredBy)} refer{(referredBy.Count == 1 ? "s" : "")} to it");
            reason = "related model: " + (links.Count > 0 ? string.Join("; ", links) : "not connected to the other tables by key names");
        }

        var excluded = new HashSet<string>(StringComparer.Ordinal) { facts.Key ?? "", eventColumn ?? "" };
        foreach (var r in references.Where(r => r.From == facts)) excluded.Add(r.Column);
        var hasStrongPii = table.Columns.Any(c => StrongPii().IsMatch(c.Name));
        var piiColumns = table.Columns.Where(c => StrongPii().IsMatch(c.Name) || (NameLike().IsMatch(c.Name) && (hasStrongPii || kind == ModelKind.Parent))).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var enumCandidates = table.Columns
            .Where(c => c.Type == DataType.String && !excluded.Contains(c.Name) && !piiColumns.Contains(c.Name) && !c.Name.EndsWith("_id", StringComparison.Ordinal))
            .Select(c => c.Name)
            .ToList();
        var enums = await EnumValuesAsync(table, enumCandidates, facts.Rows, ct).ConfigureAwait(false);
        var columns = table.Columns
            .Select(c => new ProposedColumn(c.Name, c.RawType, c.Type, piiColumns.Contains(c.Name), enums.GetValueOrDefault(c.Name, [])))
            .ToImmutableArray();

        var eventNames = kind == ModelKind.Event && eventColumn is not null
            ? await DistinctAsync(table, eventColumn, MaxEventNames + 1, ct).ConfigureAwait(false)
            : [];
        if (eventNames.Length > MaxEventNames) eventNames = [];

        return new ProposedModel(
            facts.ModelName,
            table.Schema is "main" or "public" ? table.Name : $"{table.Schema}.{table.Name}",
            kind,
            columns,
            facts.Key,
            kind == ModelKind.Parent ? null : timestamp,
            kind == ModelKind.Event ? eventColumn : null,
            eventNames,
            eventName,
            facts.Rows,
            reason);
    }

    private async Task<Dictionary<string, ImmutableArray<string>>> EnumValuesAsync(WarehouseTable table, List<string> columns, long rows, CancellationToken ct)
    {
        var result = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        if (columns.Count == 0 || rows == 0) return result;
        var counts = await SingleRowAsync(
            $"SELECT {string.Join(", ", columns.Select(c => $"count(DISTINCT {_dialect.QuoteIdentifier(c)})"))} FROM {Quoted(table)}", ct).ConfigureAwait(false);
        for (var i = 0; i < columns.Count; i++)
        {
            var distinct = Long(counts[i]);
            if (distinct is < 1 or > MaxEnumValues) continue;
            var values = await DistinctAsync(table, columns[i], MaxEnumValues + 1, ct).ConfigureAwait(false);
            if (values.Length is > 0 and <= MaxEnumValues && values.All(v => v.Length <= MaxEnumValueLength)) result[columns[i]] = values;
        }
        return result;
    }

    /// <summary>Distinct non-empty values of a text column, ordered by code point.</summary>
    private async Task<ImmutableArray<string>> DistinctAsync(WarehouseTable table, string column, int limit, CancellationToken ct)
    {
        var q = _dialect.QuoteIdentifier(column);
        var sql = new CompiledSql(warehouse.Dialect, $"SELECT DISTINCT {q} FROM {Quoted(table)} WHERE {q} IS NOT NULL LIMIT {limit.ToString(CultureInfo.InvariantCulture)}", []);
        var values = new List<string>();
        await foreach (var row in warehouse.QueryAsync(sql, ct).ConfigureAwait(false))
            if (row[0] is string s && s.Trim().Length > 0) values.Add(s);
        values.Sort(StringComparer.Ordinal);
        return [.. values];
    }

    // ----- relationships -----

    private static List<ProposedRelationship> Relationships(List<ProposedModel> models, List<Reference> references, TableFacts? parent)
    {
        var result = new List<ProposedRelationship>();
        var names = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        string? NameFor(string from, string to)
        {
            var set = names.TryGetValue(from, out var s) ? s : names[from] = [];
            if (set.Add(to)) return null;
            for (var i = 2; ; i++)
                if (set.Add($"{to}_{i}")) return $"{to}_{i}";
        }

        foreach (var r in references.OrderBy(r => r.To.ModelName, StringComparer.Ordinal).ThenBy(r => r.From.ModelName, StringComparer.Ordinal).ThenBy(r => r.Column, StringComparer.Ordinal))
        {
            result.Add(new ProposedRelationship(r.To.ModelName, r.ToKey, r.From.ModelName, r.Column, Cardinality.OneToMany,
                NameFor(r.To.ModelName, r.From.ModelName), null, $"{r.From.Table.Name}.{r.Column} matches {r.To.Table.Name}.{r.ToKey}"));
        }

        // A table that refers to exactly two keyed tables (neither the parent) joins them many-to-many, from the one
        // nearer the parent: order_items(order_id, product_id) makes orders -> products.
        foreach (var join in references.GroupBy(r => r.From))
        {
            var targets = join.Where(r => r.To != parent).GroupBy(r => r.To).Select(g => g.First()).ToList();
            if (join.Count() != 2 || targets.Count != 2) continue;
            if (models.First(m => m.Name == join.Key.ModelName).Kind == ModelKind.Event) continue;
            var nearParent = targets.OrderByDescending(t => references.Any(r => r.From == t.To && r.To == parent)).ThenBy(t => t.To.ModelName, StringComparer.Ordinal).ToList();
            var (a, b) = (nearParent[0], nearParent[1]);
            result.Add(new ProposedRelationship(a.To.ModelName, a.ToKey, b.To.ModelName, b.ToKey, Cardinality.ManyToMany,
                NameFor(a.To.ModelName, b.To.ModelName), new ThroughDefinition(join.Key.ModelName, a.Column, b.Column),
                $"{join.Key.Table.Name} refers to both {a.To.Table.Name} and {b.To.Table.Name}"));
        }
        return result;
    }

    // ----- helpers -----

    private string Quoted(WarehouseTable table) => $"{_dialect.QuoteIdentifier(table.Schema)}.{_dialect.QuoteIdentifier(table.Name)}";

    private async Task<object?[]> SingleRowAsync(string sql, CancellationToken ct)
    {
        await foreach (var row in warehouse.QueryAsync(new CompiledSql(warehouse.Dialect, sql, []), ct).ConfigureAwait(false)) return row;
        throw new InvalidOperationException("An aggregate query returned no row.");
    }

    private static long Long(object? value) => Convert.ToInt64(value ?? 0L, CultureInfo.InvariantCulture);

    private static string Join(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 4 ? string.Join(", ", list) : string.Join(", ", list.Take(4)) + $" and {list.Count - 4} more";
    }

    /// <summary>A model name: the table name as an identifier (letters, digits, underscores; not starting with a digit).</summary>
    public static string ModelName(string table)
    {
        var name = NonIdentifier().Replace(table.Trim().ToLowerInvariant(), "_").Trim('_');
        if (name.Length == 0) name = "table";
        return char.IsAsciiDigit(name[0]) ? "t_" + name : name;
    }

    private static string EventTitle(string table) =>
        CultureInfo.InvariantCulture.TextInfo.ToTitleCase(table.Replace('_', ' ').Trim().ToLowerInvariant());

    /// <summary>Names that hold personal data; flags about it (email_consent, phone_verified) do not.</summary>
    [GeneratedRegex("^(?!.*_(consent|opt_?in|opt_?out|verified|count|flag|status|type)$).*(e_?mail|phone|mobile|street|address|postal|postcode|zip|birth|dob|ssn|passport|first_?name|last_?name|full_?name|surname|anonymous_id|device_id|install_id)", RegexOptions.IgnoreCase)]
    private static partial Regex StrongPii();

    [GeneratedRegex("(^|_)name$", RegexOptions.IgnoreCase)]
    private static partial Regex NameLike();

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex NonIdentifier();
}
