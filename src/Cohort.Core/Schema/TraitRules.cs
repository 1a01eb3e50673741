using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Schema;

/// <summary>Checks trait definitions (docs/semantics.md section 10) and binds their filters.</summary>
internal static class TraitRules
{
    public static ImmutableArray<TraitDefinition> Check(SchemaIndex index, DiagnosticBag diagnostics)
    {
        var binder = new ConditionBinder(index, new AudienceCatalog([]), diagnostics);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var bound = ImmutableArray.CreateBuilder<TraitDefinition>(index.Schema.Traits.Length);
        foreach (var trait in index.Schema.Traits)
        {
            var site = Site.Of(trait, trait.Location);
            if (!names.Add(trait.Name))
                diagnostics.Error(DiagnosticCodes.DuplicateName, Messages.DuplicateTrait(trait.Name), site.Here);
            if (!SchemaValidator.Identifier().IsMatch(trait.Name))
                diagnostics.Error(DiagnosticCodes.InvalidValue, Messages.InvalidTraitName(trait.Name), site.Here);
            bound.Add(Check(trait, site, index, binder, diagnostics));
        }
        return bound.MoveToImmutable();
    }

    private static TraitDefinition Check(TraitDefinition trait, Site site, SchemaIndex index, ConditionBinder binder, DiagnosticBag diagnostics)
    {
        var schema = index.Schema;
        var model = schema.FindModel(trait.Model);
        if (model is null)
        {
            diagnostics.Error(DiagnosticCodes.UnknownModel, Messages.UnknownModel(trait.Model), site.At("model"),
                NameSuggester.Nearest(trait.Model, schema.Models.Where(m => m.Kind == ModelKind.Parent).Select(m => m.Name)));
            return trait;
        }
        if (model.Kind != ModelKind.Parent)
        {
            diagnostics.Error(DiagnosticCodes.InvalidTrait, Messages.TraitOnNonParent(trait.Name, model.Name), site.At("model"));
            return trait;
        }
        if (trait.Path.IsDefaultOrEmpty)
        {
            diagnostics.Error(DiagnosticCodes.InvalidTrait, Messages.TraitWithoutPath(trait.Name), site.At("from"));
            return trait;
        }
        var resolution = index.ResolvePath(model, trait.Path);
        if (!resolution.Succeeded)
        {
            diagnostics.Error(resolution.ErrorCode!, resolution.Error!, site.At("from"), resolution.Alternatives);
            return trait;
        }
        var path = resolution.Value!;
        var end = path.End;
        if (path.MayRepeatRows && end.PrimaryKey is null)
            diagnostics.Error(DiagnosticCodes.PathNeedsKey, Messages.PathNeedsKey(string.Join(".", trait.Path), end.Name), site.At("from"));
        CheckColumn(trait, end, site, diagnostics);
        CheckEventNames(trait, end, site, diagnostics);
        var window = binder.Window(trait.Window, site, end, fixedLengthOnly: false);
        var where = trait.Where is null ? null : binder.Bind(trait.Where, end, isParentContext: false);
        return trait with { Where = where, Window = window };
    }

    private static void CheckColumn(TraitDefinition trait, ModelDefinition end, Site site, DiagnosticBag diagnostics)
    {
        var kind = SchemaReader.NameOf(trait.Kind);
        if (trait.Column is null)
        {
            if (trait.Kind != TraitKind.Count)
                diagnostics.Error(DiagnosticCodes.InvalidTrait, Messages.TraitNeedsColumn(trait.Name, kind), site.At("kind"));
            return;
        }
        if (trait.Kind == TraitKind.Count)
        {
            diagnostics.Error(DiagnosticCodes.InvalidTrait, Messages.CountTakesNoColumn(trait.Name), site.At("column"));
            return;
        }
        var column = end.FindColumn(trait.Column);
        if (column is null)
        {
            diagnostics.Error(DiagnosticCodes.UnknownColumn, Messages.UnknownColumn(end.Name, trait.Column), site.At("column"),
                NameSuggester.Nearest(trait.Column, end.Columns.Select(c => c.Name)));
            return;
        }
        switch (trait.Kind)
        {
            case TraitKind.Sum or TraitKind.Avg when !column.Type.IsNumeric:
                diagnostics.Error(DiagnosticCodes.InvalidTrait, Messages.TraitNeedsNumber(trait.Name, kind, column.Name, column.Type), site.At("column"));
                break;
            case TraitKind.First or TraitKind.Last when end.TimestampColumn is null:
                diagnostics.Error(DiagnosticCodes.WindowNeedsTimestamp, Messages.WindowNeedsTimestamp(kind, end.Name), site.At("kind"));
                break;
            case TraitKind.Min or TraitKind.Max or TraitKind.MostFrequent or TraitKind.DistinctCount or TraitKind.List when column.Type.IsArray:
                diagnostics.Error(DiagnosticCodes.InvalidTrait, Messages.TraitNeedsScalar(trait.Name, kind, column.Name, column.Type), site.At("column"));
                break;
        }
    }

    private static void CheckEventNames(TraitDefinition trait, ModelDefinition end, Site site, DiagnosticBag diagnostics)
    {
        var names = trait.EventNames.IsDefault ? [] : trait.EventNames;
        if (names.IsEmpty) return;
        if (end.Kind != ModelKind.Event)
        {
            diagnostics.Error(DiagnosticCodes.InvalidTrait, Messages.EventNamesNeedEventModel(trait.Name, end.Name), site.At("event"));
            return;
        }
        var known = end.SingleEventName is { } single ? [single] : end.EventNames;
        if (known.IsEmpty) return;
        foreach (var name in names.Where(n => !known.Contains(n)))
            diagnostics.Error(DiagnosticCodes.UnknownEvent, Messages.UnknownEventInModel(name, end.Name), site.At("event"),
                NameSuggester.Nearest(name, known));
    }
}
