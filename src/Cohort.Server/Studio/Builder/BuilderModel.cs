using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;

namespace Cohort.Server.Studio.Builder;

public enum NodeKind
{
    All,
    Any,
    Not,
    Property,
    Event,
    Sequence,
    Relation,
    Trait,
    Audience,
    /// <summary>A condition the builder has no form for, edited as JSON.</summary>
    Raw,
}

/// <summary>One step of a sequence in the builder.</summary>
public sealed class StepDraft
{
    public List<string> Events { get; set; } = [];

    public string[] EventsArray { get => [.. Events]; set => Events = [.. value]; }

    public string Gap { get; set; } = "";
}

/// <summary>
/// A condition being edited. Mutable on purpose (it is form state); it turns into the documented audience syntax
/// (docs/audiences.md) with <see cref="BuilderModel.ToDocument"/>, and the server's validator is the only judge of it.
/// </summary>
public sealed class ConditionDraft
{
    private static int s_ids;

    public int Id { get; } = Interlocked.Increment(ref s_ids);
    public NodeKind Kind { get; set; }
    public List<ConditionDraft> Children { get; set; } = [];

    // property, trait, aggregate and occurrence tests
    public string Field { get; set; } = "";
    public string Op { get; set; } = "";
    public string Value { get; set; } = "";
    public string Value2 { get; set; } = "";

    // event / relation
    public List<string> Events { get; set; } = [];

    /// <summary>For a multiple select.</summary>
    public string[] EventsArray { get => [.. Events]; set => Events = [.. value]; }

    public string RelationPath { get; set; } = "";
    public string Window { get; set; } = "ever";
    public string WindowValue { get; set; } = "30 days";
    public string WindowValue2 { get; set; } = "";
    public string Measure { get; set; } = "performed";
    public string CountOp { get; set; } = "at_least";
    public string CountValue { get; set; } = "1";
    public string CountHigh { get; set; } = "";
    public string AggFunction { get; set; } = "sum";
    public string AggColumn { get; set; } = "";
    public ConditionDraft? Where { get; set; }

    // sequence
    public List<StepDraft> Steps { get; set; } = [];
    public string SequenceWithin { get; set; } = "";
    public bool HasNotFollowedBy { get; set; }
    public StepDraft NotFollowedBy { get; set; } = new();

    // audience
    public string AudienceName { get; set; } = "";
    public bool Member { get; set; } = true;

    // raw
    public string RawJson { get; set; } = "";

    /// <summary>The document path of this node in the last generated document (for placing diagnostics).</summary>
    public string Path { get; set; } = "";

    public bool IsGroup => Kind is NodeKind.All or NodeKind.Any or NodeKind.Not;

    public static ConditionDraft Group(NodeKind kind = NodeKind.All) => new() { Kind = kind };
}

public sealed class SplitDraft
{
    public string Name { get; set; } = "";
    public string Percent { get; set; } = "";
    public bool Holdout { get; set; }
}

/// <summary>A whole audience being edited.</summary>
public sealed class AudienceDraft
{
    public string Name { get; set; } = "";
    public string Model { get; set; } = "";
    public string Description { get; set; } = "";
    public string Labels { get; set; } = "";
    public string Folder { get; set; } = "";
    public ConditionDraft Root { get; set; } = ConditionDraft.Group();
    public List<string> Exclusions { get; set; } = [];
    public bool SplitsEnabled { get; set; }
    public string SplitSalt { get; set; } = "";
    public List<SplitDraft> Splits { get; set; } = [];
    public string LimitSize { get; set; } = "";

    /// <summary>The ordering of a size limit, kept as written (the builder has no form for it, and must not drop it).</summary>
    public JsonNode? LimitOrderBy { get; set; }
}

/// <summary>Converts between the builder's drafts and the audience document syntax, both ways.</summary>
public static class BuilderModel
{
    public static readonly string[] Units = ["minutes", "hours", "days", "weeks", "months", "years"];
    public static readonly string[] CountOps = ["at_least", "at_most", "exactly", "between"];
    public static readonly string[] Aggregates = ["sum", "avg", "min", "max"];

    // ---------- draft -> document

    public static JsonObject ToDocument(AudienceDraft draft, SchemaDefinition schema)
    {
        var doc = new JsonObject { ["name"] = draft.Name.Trim(), ["model"] = draft.Model };
        if (draft.Description.Trim() is { Length: > 0 } description) doc["description"] = description;
        var labels = draft.Labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (labels.Length > 0) doc["labels"] = new JsonArray([.. labels.Select(l => (JsonNode?)JsonValue.Create(l))]);
        if (draft.Folder.Trim() is { Length: > 0 } folder) doc["folder"] = folder;
        var parent = schema.FindModel(draft.Model);
        var index = new SchemaIndex(schema);
        var root = draft.Root;
        if (root.Children.Count > 0 || !root.IsGroup)
        {
            // A top-level group with one child is written as that child (same meaning, and the per-block counts read better).
            if (root.Kind == NodeKind.All && root.Children.Count == 1) doc["condition"] = Condition(root.Children[0], "condition", parent, index, root);
            else doc["condition"] = Condition(root, "condition", parent, index, null);
        }
        if (draft.Exclusions.Count > 0) doc["exclude"] = new JsonArray([.. draft.Exclusions.Select(e => (JsonNode?)JsonValue.Create(e))]);
        if (draft.LimitSize.Trim() is { Length: > 0 } size)
        {
            var limit = new JsonObject { ["size"] = Number(size) };
            if (draft.LimitOrderBy is { } order) limit["order_by"] = order.DeepClone();
            doc["limit"] = limit;
        }
        if (draft.SplitsEnabled)
        {
            var splits = new JsonObject();
            if (draft.SplitSalt.Trim() is { Length: > 0 } salt) splits["salt"] = salt;
            splits["groups"] = new JsonArray([.. draft.Splits.Select(s =>
            {
                var g = new JsonObject { ["name"] = s.Name.Trim(), ["percent"] = Number(s.Percent) };
                if (s.Holdout) g["holdout"] = true;
                return (JsonNode?)g;
            })]);
            doc["splits"] = splits;
        }
        return doc;
    }

    private static JsonNode Condition(ConditionDraft node, string path, ModelDefinition? context, SchemaIndex index, ConditionDraft? collapsedParent)
    {
        node.Path = path;
        if (collapsedParent is not null) collapsedParent.Path = path;
        switch (node.Kind)
        {
            case NodeKind.All or NodeKind.Any:
                var key = node.Kind == NodeKind.All ? "all" : "any";
                return new JsonObject { [key] = new JsonArray([.. node.Children.Select((c, i) => (JsonNode?)Condition(c, $"{path}.{key}[{i}]", context, index, null))]) };
            case NodeKind.Not:
                return new JsonObject { ["not"] = node.Children.Count == 0 ? new JsonObject() : Condition(node.Children[0], $"{path}.not", context, index, null) };
            case NodeKind.Property:
            {
                var o = new JsonObject { ["property"] = node.Field };
                AddTest(o, node.Op, node.Value, node.Value2, context?.FindColumn(node.Field)?.Type);
                return o;
            }
            case NodeKind.Trait:
            {
                var o = new JsonObject { ["trait"] = node.Field };
                var trait = index.Schema.FindTrait(node.Field);
                AddTest(o, node.Op, node.Value, node.Value2, trait is null ? null : TraitTypes.ResultType(trait, index));
                return o;
            }
            case NodeKind.Audience:
            {
                var o = new JsonObject { ["audience"] = node.AudienceName };
                if (!node.Member) o["member"] = false;
                return o;
            }
            case NodeKind.Event:
            {
                var o = new JsonObject { ["event"] = Names(node.Events) };
                var model = context is null || node.Events.Count == 0 ? null : index.ResolveEventPath(context, null, node.Events).Value?.End;
                AddWhere(o, node, path, model, index);
                AddWindow(o, node);
                AddMeasure(o, node, model);
                return o;
            }
            case NodeKind.Relation:
            {
                var steps = node.RelationPath.Split('.', StringSplitOptions.RemoveEmptyEntries);
                var o = new JsonObject { ["relation"] = node.RelationPath };
                var model = context is null ? null : index.ResolvePath(context, steps).Value?.End;
                AddWhere(o, node, path, model, index);
                AddWindow(o, node);
                AddMeasure(o, node, model);
                return o;
            }
            case NodeKind.Sequence:
            {
                var o = new JsonObject
                {
                    ["sequence"] = new JsonArray([.. node.Steps.Select(s =>
                    {
                        var step = new JsonObject { ["event"] = Names(s.Events) };
                        if (s.Gap.Trim().Length > 0) step["within"] = s.Gap.Trim();
                        return (JsonNode?)step;
                    })]),
                };
                if (node.SequenceWithin.Trim().Length > 0) o["within"] = node.SequenceWithin.Trim();
                AddWindow(o, node);
                if (node.HasNotFollowedBy)
                {
                    var nf = new JsonObject { ["event"] = Names(node.NotFollowedBy.Events) };
                    if (node.NotFollowedBy.Gap.Trim().Length > 0) nf["within"] = node.NotFollowedBy.Gap.Trim();
                    o["not_followed_by"] = nf;
                }
                return o;
            }
            default:
                try
                {
                    return JsonNode.Parse(node.RawJson.Trim().Length == 0 ? "{}" : node.RawJson) ?? new JsonObject();
                }
                catch (JsonException)
                {
                    // Sent as text, so the validator reports it at this node's path.
                    return JsonValue.Create(node.RawJson)!;
                }
        }
    }

    private static void AddWhere(JsonObject o, ConditionDraft node, string path, ModelDefinition? model, SchemaIndex index)
    {
        if (node.Where is not { } where || where.Children.Count == 0) return;
        o["where"] = where.Kind == NodeKind.All && where.Children.Count == 1
            ? Condition(where.Children[0], $"{path}.where", model, index, where)
            : Condition(where, $"{path}.where", model, index, null);
    }

    private static void AddWindow(JsonObject o, ConditionDraft node)
    {
        switch (node.Window)
        {
            case "within_last": o["within_last"] = node.WindowValue.Trim(); break;
            case "between_ago": o["between_ago"] = new JsonArray(node.WindowValue.Trim(), node.WindowValue2.Trim()); break;
            case "during": o["during"] = new JsonArray(node.WindowValue.Trim(), node.WindowValue2.Trim()); break;
        }
    }

    private static void AddMeasure(JsonObject o, ConditionDraft node, ModelDefinition? model)
    {
        switch (node.Measure)
        {
            case "not_performed": o["performed"] = false; break;
            case "count":
                o["count"] = node.CountOp == "between"
                    ? new JsonObject { ["between"] = new JsonArray(Number(node.CountValue), Number(node.CountHigh)) }
                    : new JsonObject { [node.CountOp] = Number(node.CountValue) };
                break;
            case "aggregate":
                var agg = new JsonObject { [node.AggFunction] = node.AggColumn };
                AddTest(agg, node.Op, node.Value, node.Value2, DataType.Number);
                o["aggregate"] = agg;
                break;
            case "first_occurred" or "last_occurred":
                var test = new JsonObject();
                AddTest(test, node.Op, node.Value, node.Value2, DataType.Timestamp);
                o[node.Measure] = test;
                break;
        }
    }

    /// <summary>Adds <c>op: operand</c>, typing values for the column (numbers stay numbers, booleans booleans).</summary>
    private static void AddTest(JsonObject o, string op, string value, string value2, DataType? type)
    {
        if (op.Length == 0) return;
        if (!OperatorCatalog.ByName.TryGetValue(op, out var parsed)) { o[op] = value; return; }
        o[op] = OperatorCatalog.ShapeOf(parsed) switch
        {
            OperandShape.None => true,
            OperandShape.Values or OperandShape.Days => new JsonArray([.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => Typed(v, type))]),
            OperandShape.Range => new JsonArray(Typed(value.Trim(), type), Typed(value2.Trim(), type)),
            OperandShape.RelativeRange => new JsonArray(value.Trim(), value2.Trim()),
            OperandShape.Relative => value.Trim(),
            _ => Typed(value, type),
        };
    }

    private static JsonNode? Typed(string text, DataType? type)
    {
        if (type is { } t && !t.IsArray)
        {
            if (t.Element is ScalarType.Integer or ScalarType.Number && decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var n)) return JsonValue.Create(n);
            if (t.Element is ScalarType.Boolean && bool.TryParse(text.Trim(), out var b)) return JsonValue.Create(b);
        }
        return JsonValue.Create(text);
    }

    private static JsonNode Number(string text) =>
        decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(text)!;

    private static JsonNode Names(List<string> names) =>
        names.Count == 1 ? JsonValue.Create(names[0])! : new JsonArray([.. names.Select(n => (JsonNode?)JsonValue.Create(n))]);

    // ---------- definition -> draft

    public static AudienceDraft FromDefinition(AudienceDefinition audience)
    {
        var json = JsonNode.Parse(AudienceWriter.ToJson(audience))!.AsObject();
        var draft = new AudienceDraft
        {
            Name = audience.Name,
            Model = audience.Model,
            Description = audience.Description ?? "",
            Labels = string.Join(", ", audience.Labels),
            Folder = audience.Folder ?? "",
            Exclusions = [.. audience.Exclusions],
            LimitSize = json["limit"]?["size"]?.ToJsonString() ?? "",
        };
        draft.LimitOrderBy = json["limit"]?["order_by"]?.DeepClone();
        if (audience.Splits is { } splits)
        {
            draft.SplitsEnabled = true;
            draft.SplitSalt = json["splits"]?["salt"]?.GetValue<string>() ?? "";
            draft.Splits = [.. splits.Groups.Select(g => new SplitDraft { Name = g.Name, Percent = g.Percent.ToString(CultureInfo.InvariantCulture), Holdout = g.Holdout })];
        }
        if (json["condition"] is JsonObject condition)
        {
            var node = FromJson(condition);
            draft.Root = node.Kind == NodeKind.All ? node : new ConditionDraft { Kind = NodeKind.All, Children = [node] };
        }
        return draft;
    }

    public static ConditionDraft FromJson(JsonObject o)
    {
        try
        {
            return Read(o) ?? Raw(o);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            return Raw(o);
        }
    }

    private static ConditionDraft Raw(JsonObject o) => new() { Kind = NodeKind.Raw, RawJson = o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) };

    private static ConditionDraft? Read(JsonObject o)
    {
        if (o["all"] is JsonArray all) return new ConditionDraft { Kind = NodeKind.All, Children = [.. all.OfType<JsonObject>().Select(FromJson)] };
        if (o["any"] is JsonArray any) return new ConditionDraft { Kind = NodeKind.Any, Children = [.. any.OfType<JsonObject>().Select(FromJson)] };
        if (o["not"] is JsonObject not) return new ConditionDraft { Kind = NodeKind.Not, Children = [FromJson(not)] };
        if (o["audience"] is JsonValue aud)
            return Only(o, "audience", "member") ? new ConditionDraft { Kind = NodeKind.Audience, AudienceName = aud.GetValue<string>(), Member = o["member"]?.GetValue<bool>() ?? true } : null;
        if (o["property"] is JsonValue prop) return Test(new ConditionDraft { Kind = NodeKind.Property, Field = prop.GetValue<string>() }, o, "property");
        if (o["trait"] is JsonValue trait) return Test(new ConditionDraft { Kind = NodeKind.Trait, Field = trait.GetValue<string>() }, o, "trait");
        if (o["event"] is { } ev)
        {
            if (o["model"] is not null) return null;
            var node = new ConditionDraft { Kind = NodeKind.Event, Events = NamesOf(ev) };
            return Measured(node, o, "event");
        }
        if (o["relation"] is { } rel)
        {
            var node = new ConditionDraft { Kind = NodeKind.Relation, RelationPath = rel is JsonArray a ? string.Join('.', a.Select(x => x!.GetValue<string>())) : rel.GetValue<string>() };
            return Measured(node, o, "relation");
        }
        if (o["sequence"] is JsonArray steps)
        {
            if (!Only(o, "sequence", "within", "within_last", "between_ago", "during", "ever", "not_followed_by")) return null;
            var node = new ConditionDraft { Kind = NodeKind.Sequence, SequenceWithin = o["within"]?.GetValue<string>() ?? "" };
            foreach (var s in steps)
            {
                if (s is not JsonObject step || step["where"] is not null || step["model"] is not null) return null;
                node.Steps.Add(new StepDraft { Events = NamesOf(step["event"]!), Gap = step["within"]?.GetValue<string>() ?? "" });
            }
            if (o["not_followed_by"] is JsonObject nf)
            {
                if (nf["where"] is not null || nf["model"] is not null) return null;
                node.HasNotFollowedBy = true;
                node.NotFollowedBy = new StepDraft { Events = NamesOf(nf["event"]!), Gap = nf["within"]?.GetValue<string>() ?? "" };
            }
            return ReadWindow(node, o) ? node : null;
        }
        return null;
    }

    private static ConditionDraft? Measured(ConditionDraft node, JsonObject o, string kindKey)
    {
        if (!Only(o, kindKey, "where", "within_last", "between_ago", "during", "ever", "performed", "count", "aggregate", "first_occurred", "last_occurred")) return null;
        if (o["where"] is JsonObject where)
        {
            var w = FromJson(where);
            node.Where = w.Kind == NodeKind.All ? w : new ConditionDraft { Kind = NodeKind.All, Children = [w] };
        }
        if (!ReadWindow(node, o)) return null;
        if (o["performed"] is JsonValue performed) node.Measure = performed.GetValue<bool>() ? "performed" : "not_performed";
        else if (o["count"] is JsonObject count)
        {
            node.Measure = "count";
            var (op, value) = count.First();
            node.CountOp = op;
            if (value is JsonArray range) { node.CountValue = range[0]!.ToJsonString(); node.CountHigh = range[1]!.ToJsonString(); }
            else node.CountValue = value!.ToJsonString();
        }
        else if (o["aggregate"] is JsonObject agg)
        {
            node.Measure = "aggregate";
            var fn = agg.First(p => Aggregates.Contains(p.Key));
            node.AggFunction = fn.Key;
            node.AggColumn = fn.Value!.GetValue<string>();
            var test = agg.First(p => !Aggregates.Contains(p.Key));
            node.Op = test.Key;
            ReadOperand(node, test.Value);
        }
        else if (o["first_occurred"] is JsonObject first) { node.Measure = "first_occurred"; ReadTestObject(node, first); }
        else if (o["last_occurred"] is JsonObject last) { node.Measure = "last_occurred"; ReadTestObject(node, last); }
        return node;
    }

    private static void ReadTestObject(ConditionDraft node, JsonObject test)
    {
        var (op, value) = test.First();
        node.Op = op;
        ReadOperand(node, value);
    }

    private static bool ReadWindow(ConditionDraft node, JsonObject o)
    {
        if (o["within_last"] is JsonValue w) { node.Window = "within_last"; node.WindowValue = w.GetValue<string>(); }
        else if (o["between_ago"] is JsonArray b) { node.Window = "between_ago"; node.WindowValue = Scalar(b[0]); node.WindowValue2 = Scalar(b[1]); }
        else if (o["during"] is JsonArray d) { node.Window = "during"; node.WindowValue = Scalar(d[0]); node.WindowValue2 = Scalar(d[1]); }
        else node.Window = "ever";
        return true;
    }

    private static ConditionDraft? Test(ConditionDraft node, JsonObject o, string kindKey)
    {
        var ops = o.Where(p => p.Key != kindKey).ToList();
        if (ops.Count != 1) return null;
        node.Op = ops[0].Key;
        ReadOperand(node, ops[0].Value);
        return node;
    }

    private static void ReadOperand(ConditionDraft node, JsonNode? value)
    {
        switch (value)
        {
            case JsonArray a when OperatorCatalog.ByName.TryGetValue(node.Op, out var op) && OperatorCatalog.ShapeOf(op) is OperandShape.Range or OperandShape.RelativeRange:
                node.Value = Scalar(a[0]);
                node.Value2 = Scalar(a[1]);
                break;
            case JsonArray a:
                node.Value = string.Join(", ", a.Select(Scalar));
                break;
            case JsonValue v when v.TryGetValue<bool>(out var b) && OperatorCatalog.ByName.TryGetValue(node.Op, out var op2) && OperatorCatalog.ShapeOf(op2) == OperandShape.None:
                _ = b;
                break;
            default:
                node.Value = Scalar(value);
                break;
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o => o.ToJsonString(),
        _ => node.ToJsonString(),
    };

    private static List<string> NamesOf(JsonNode node) => node is JsonArray a ? [.. a.Select(x => x!.GetValue<string>())] : [node.GetValue<string>()];

    private static bool Only(JsonObject o, params string[] keys) => o.All(p => keys.Contains(p.Key));
}
