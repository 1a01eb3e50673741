using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Cohort.Core.Schema;

namespace Cohort.Warehouses.Projects;

/// <summary>Writes a <see cref="SchemaProposal"/> as a commented <c>schema.yaml</c> (docs/schema.md) for people to edit.</summary>
public static partial class SchemaProposalWriter
{
    public static string SchemaYaml(SchemaProposal proposal, string source)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var w = new StringBuilder();
        Line(w, $"# Proposed by `cohort init` from {source}.");
        Line(w, "# Every choice below is a guess from table and column names, keys and types: review it, then run");
        Line(w, "# `cohort validate`. The format is described in docs/schema.md.");
        foreach (var note in proposal.Notes) Line(w, "# NOTE: " + note);
        Line(w, "models:");
        if (proposal.Models.IsEmpty) Line(w, "  {}");
        foreach (var model in proposal.Models)
        {
            Line(w, $"  {model.Name}:");
            Line(w, $"    # {model.Reason}; {model.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows");
            Line(w, $"    kind: {KindName(model.Kind)}");
            Line(w, $"    table: {Scalar(model.Table)}");
            if (model.PrimaryKey is { } key) Line(w, $"    primary_key: {key}");
            if (model.Timestamp is { } ts) Line(w, $"    timestamp: {ts}");
            if (model.EventNameColumn is { } en) Line(w, $"    event_name: {en}");
            if (model.EventName is { } single) Line(w, $"    event: {Scalar(single)}");
            if (!model.EventNames.IsEmpty) Line(w, $"    events: [{string.Join(", ", model.EventNames.Select(Scalar))}]");
            Line(w, "    columns:");
            foreach (var column in model.Columns)
            {
                if (column.Type is not { } type)
                {
                    Line(w, $"      # {column.Name}: {column.RawType} has no Cohort type; cast it in a model's sql: to use it");
                    continue;
                }
                var attributes = new List<string>();
                if (column.Pii) attributes.Add("pii: true");
                if (!column.EnumValues.IsEmpty) attributes.Add($"enum: [{string.Join(", ", column.EnumValues.Select(Scalar))}]");
                var name = Key(column.Name);
                var comment = column.Pii ? "   # PII guessed from the name" : "";
                Line(w, attributes.Count == 0
                    ? $"      {name}: {type}"
                    : $"      {name}: {{type: {type}, {string.Join(", ", attributes)}}}{comment}");
            }
            Line(w, "");
        }

        Line(w, "relationships:");
        if (proposal.Relationships.IsEmpty) Line(w, "  []");
        foreach (var r in proposal.Relationships)
        {
            Line(w, $"  # {r.Reason}");
            var name = r.Name is null ? "" : $", name: {r.Name}";
            if (r.Through is { } through)
            {
                Line(w, $"  - {{from: {r.From}, from_key: {Key(r.FromKey)}, to: {r.To}, to_key: {Key(r.ToKey)}, cardinality: many_to_many{name},");
                Line(w, $"     through: {{model: {through.Model}, from_key: {Key(through.FromKey)}, to_key: {Key(through.ToKey)}}}}}");
            }
            else
            {
                Line(w, $"  - {{from: {r.From}, from_key: {Key(r.FromKey)}, to: {r.To}, to_key: {Key(r.ToKey)}, cardinality: {CardinalityName(r.Cardinality)}{name}}}");
            }
        }
        Line(w, "");
        Line(w, "# Traits are values computed per parent row (docs/schema.md); for example:");
        var related = proposal.Parent is { } p
            ? proposal.Relationships.FirstOrDefault(r => r.From == p.Name && r.Through is null && proposal.Models.Any(m => m.Name == r.To && m.Kind == ModelKind.Related))
            : null;
        Line(w, related is null
            ? "#   order_count: {model: customers, from: orders, kind: count}"
            : $"#   {related.To}_count: {{model: {related.From}, from: {related.Name ?? related.To}, kind: count}}");
        Line(w, "traits: {}");
        return w.ToString();
    }

    /// <summary>An example audience over the parent, using an event model when there is one reachable from it.</summary>
    public static string? ExampleAudience(SchemaProposal proposal)
    {
        if (proposal.Parent is not { } parent) return null;
        var events = proposal.Models.Where(m => m.Kind == ModelKind.Event
            && proposal.Relationships.Any(r => r.From == parent.Name && r.To == m.Name && r.Through is null)).ToList();
        var w = new StringBuilder();
        Line(w, "# An example audience written by `cohort init`; see docs/audiences.md. Try: cohort preview recently_active");
        Line(w, "name: recently_active");
        Line(w, $"model: {parent.Name}");
        if (events.FirstOrDefault(e => e.EventNames.Length > 0 || e.EventName is not null) is { } model)
        {
            var name = model.EventName ?? model.EventNames[0];
            Line(w, $"description: At least one '{name}' event in the last 30 days");
            Line(w, "condition:");
            Line(w, $"  event: {Scalar(name)}");
            Line(w, $"  model: {model.Name}");
            Line(w, "  within_last: 30 days");
        }
        else
        {
            Line(w, $"description: Every {parent.Name} row (edit the condition)");
            Line(w, "condition:");
            Line(w, $"  property: {Key(parent.PrimaryKey!)}");
            Line(w, "  is_set: true");
        }
        return w.ToString();
    }

    /// <summary>A YAML scalar: plain when it reads back as the same text, double-quoted otherwise.</summary>
    public static string Scalar(string value) =>
        Plain().IsMatch(value) && !Reserved.Contains(value) ? value : Quote(value);

    private static string Key(string name) => Plain().IsMatch(name) && !Reserved.Contains(name) ? name : Quote(name);

    private static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
        { "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~" };

    private static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.Parent => "parent",
        ModelKind.Event => "event",
        _ => "related",
    };

    private static string CardinalityName(Cardinality c) => c switch
    {
        Cardinality.OneToOne => "one_to_one",
        Cardinality.ManyToOne => "many_to_one",
        Cardinality.ManyToMany => "many_to_many",
        _ => "one_to_many",
    };

    private static void Line(StringBuilder w, string text) => w.Append(text).Append('\n');

    /// <summary>Starts with a letter or underscore; then letters, digits, spaces and a few marks, never ": " or " #".</summary>
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_ .&/'-]*(?<! )$")]
    private static partial Regex Plain();
}
