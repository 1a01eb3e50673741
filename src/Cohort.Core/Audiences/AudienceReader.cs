using System.Collections.Frozen;
using System.Collections.Immutable;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;

namespace Cohort.Core.Audiences;

/// <summary>Reads audience files (docs/audiences.md) into <see cref="AudienceDefinition"/>s, unbound.</summary>
public static class AudienceReader
{
    private static readonly FrozenSet<string> AudienceKeys =
        ["name", "model", "description", "labels", "folder", "condition", "exclude", "limit", "splits"];

    private static readonly FrozenSet<string> LimitKeys = ["size", "order_by"];
    private static readonly FrozenSet<string> OrderKeys = ["column", "trait", "direction"];
    private static readonly FrozenSet<string> SplitKeys = ["salt", "groups"];
    private static readonly FrozenSet<string> GroupKeys = ["name", "percent", "holdout"];

    /// <summary>Reads an audience file; the name defaults to the file name without its extension.</summary>
    public static AudienceDefinition? ReadFile(string path, DiagnosticBag diagnostics, string? displayName = null)
    {
        var root = DocumentReader.ReadFile(path, diagnostics, displayName);
        return root is null ? null : Read(root, DefaultName(path), diagnostics);
    }

    /// <summary>Reads an audience held in memory; the format and default name come from <paramref name="fileName"/>.</summary>
    public static AudienceDefinition? ReadText(string text, string fileName, DiagnosticBag diagnostics)
    {
        var format = DocumentReader.FormatOf(fileName) ?? DocumentFormat.Yaml;
        var root = DocumentReader.ReadText(text, format, fileName, diagnostics);
        return root is null ? null : Read(root, DefaultName(fileName), diagnostics);
    }

    public static string DefaultName(string path) => Path.GetFileNameWithoutExtension(path);

    /// <summary>Reads an audience document. Returns null when a required part cannot be read.</summary>
    public static AudienceDefinition? Read(DocNode root, string defaultName, DiagnosticBag diagnostics)
    {
        var reader = new NodeReader(diagnostics);
        var conditions = new ConditionParser(reader);
        if (reader.Mapping(root, Messages.AudienceWhat) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, AudienceKeys, Messages.AudienceWhat);

        var ok = true;
        var name = defaultName;
        if (mapping.Find("name") is { } nameEntry)
        {
            if (reader.Name(nameEntry.Value, "name") is { } written) name = written;
            else ok = false;
        }
        var model = reader.Required(mapping, "model", Messages.AudienceWhat) is { } modelEntry ? reader.Name(modelEntry.Value, "model") : null;
        var description = Optional(mapping, "description", reader, ref ok);
        var folder = Optional(mapping, "folder", reader, ref ok);
        var labels = Names(mapping, "labels", reader, ref ok);
        var exclusions = Names(mapping, "exclude", reader, ref ok);

        Condition? condition = null;
        if (mapping.Find("condition") is { } conditionEntry)
        {
            condition = conditions.Condition(conditionEntry.Value);
            ok &= condition is not null;
        }
        SizeLimit? limit = null;
        if (mapping.Find("limit") is { } limitEntry)
        {
            limit = Limit(limitEntry.Value, reader);
            ok &= limit is not null;
        }
        SplitDefinition? splits = null;
        if (mapping.Find("splits") is { } splitsEntry)
        {
            splits = Splits(splitsEntry.Value, name, reader);
            ok &= splits is not null;
        }
        if (!ok || model is null) return null;
        var audience = new AudienceDefinition(name, model, condition, exclusions, limit, splits, description, labels, folder, mapping.Location);
        return SourceMap.Attach(audience, mapping);
    }

    private static string? Optional(DocMapping mapping, string key, NodeReader reader, ref bool ok)
    {
        if (mapping.Find(key) is not { } entry) return null;
        var text = reader.Text(entry.Value, key);
        ok &= text is not null;
        return text;
    }

    private static ImmutableArray<string> Names(DocMapping mapping, string key, NodeReader reader, ref bool ok)
    {
        if (mapping.Find(key) is not { } entry) return [];
        if (entry.Value is DocSequence { Items.Count: 0 }) return [];
        var names = reader.Names(entry.Value, key);
        ok &= names is not null;
        return names ?? [];
    }

    private static SizeLimit? Limit(DocNode node, NodeReader reader)
    {
        if (reader.Mapping(node, Messages.LimitWhat) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, LimitKeys, Messages.LimitWhat);
        var size = reader.Required(mapping, "size", Messages.LimitWhat) is { } sizeEntry ? reader.Integer(sizeEntry.Value, "size") : null;
        var terms = ImmutableArray.CreateBuilder<OrderTerm>();
        var ok = size is not null;
        if (mapping.Find("order_by") is { } orderEntry)
        {
            if (reader.Sequence(orderEntry.Value, "order_by") is { } list)
            {
                foreach (var item in list.Items)
                {
                    if (OrderTerm(item, reader) is { } term) terms.Add(term);
                    else ok = false;
                }
            }
            else ok = false;
        }
        return ok ? new SizeLimit(size!.Value, terms.ToImmutable()) : null;
    }

    private static OrderTerm? OrderTerm(DocNode node, NodeReader reader)
    {
        if (reader.Mapping(node, Messages.OrderTermWhat) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, OrderKeys, Messages.OrderTermWhat);
        var source = reader.OneOf(mapping, ["column", "trait"], Messages.OrderTermWhat, out var conflict);
        if (conflict) return null;
        if (source is null)
        {
            reader.Error(DiagnosticCodes.MissingKey, Messages.MissingOrderSource, mapping.Location);
            return null;
        }
        var name = reader.Name(source.Value, source.Key);
        var descending = false;
        if (mapping.Find("direction") is { } direction)
        {
            var text = reader.Text(direction.Value, "direction");
            switch (text?.ToLowerInvariant())
            {
                case null:
                    return null;
                case "asc":
                    break;
                case "desc":
                    descending = true;
                    break;
                default:
                    reader.Error(DiagnosticCodes.InvalidValue, Messages.InvalidDirection(text), direction.Value.Location, ["asc", "desc"]);
                    return null;
            }
        }
        return name is null ? null : new OrderTerm(source.Key == "trait" ? OrderSource.Trait : OrderSource.Column, name, descending);
    }

    private static SplitDefinition? Splits(DocNode node, string audienceName, NodeReader reader)
    {
        if (reader.Mapping(node, Messages.SplitsWhat) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, SplitKeys, Messages.SplitsWhat);
        var salt = audienceName;
        var ok = true;
        if (mapping.Find("salt") is { } saltEntry)
        {
            if (reader.Text(saltEntry.Value, "salt") is { } text) salt = text;
            else ok = false;
        }
        var groups = ImmutableArray.CreateBuilder<SplitGroup>();
        if (reader.Required(mapping, "groups", Messages.SplitsWhat) is { } groupsEntry && reader.Sequence(groupsEntry.Value, "groups") is { } list)
        {
            foreach (var item in list.Items)
            {
                if (Group(item, reader) is { } group) groups.Add(group);
                else ok = false;
            }
        }
        else ok = false;
        return ok ? new SplitDefinition(salt, groups.ToImmutable()) : null;
    }

    private static SplitGroup? Group(DocNode node, NodeReader reader)
    {
        if (reader.Mapping(node, Messages.SplitGroupWhat) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, GroupKeys, Messages.SplitGroupWhat);
        var name = reader.Required(mapping, "name", Messages.SplitGroupWhat) is { } nameEntry ? reader.Name(nameEntry.Value, "name") : null;
        var percent = reader.Required(mapping, "percent", Messages.SplitGroupWhat) is { } percentEntry ? reader.Number(percentEntry.Value, "percent") : null;
        bool? holdout = false;
        if (mapping.Find("holdout") is { } holdoutEntry) holdout = reader.Boolean(holdoutEntry.Value, "holdout");
        return name is null || percent is null || holdout is null ? null : new SplitGroup(name, percent.Value, holdout.Value);
    }
}
