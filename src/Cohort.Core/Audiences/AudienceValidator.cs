using System.Collections.Immutable;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Schema;

namespace Cohort.Core.Audiences;

/// <summary>
/// Checks audiences against a schema and against each other, and returns bound copies: the same audiences with
/// every literal typed for its column (dates, UTC timestamps, numbers). Every problem is collected.
/// </summary>
public static class AudienceValidator
{
    /// <summary>
    /// Validates one audience. <paramref name="allAudiences"/> is every audience it may refer to (it may include
    /// <paramref name="audience"/> itself); other audiences with the same name are reported as duplicates.
    /// </summary>
    public static AudienceDefinition Validate(
        AudienceDefinition audience, SchemaIndex schema, IReadOnlyCollection<AudienceDefinition> allAudiences, DiagnosticBag diagnostics)
    {
        var others = allAudiences.Where(a => !ReferenceEquals(a, audience)).ToList();
        var catalog = new AudienceCatalog([audience, .. others]);
        var site = Site.Of(audience, audience.Location);

        var model = ParentModel(audience, schema, site, diagnostics);
        var condition = audience.Condition;
        if (condition is not null && model is not null)
            condition = new ConditionBinder(schema, catalog, diagnostics).Bind(condition, model, isParentContext: true);

        CheckExclusions(audience, catalog, site, diagnostics);
        if (audience.Limit is { } limit) CheckLimit(limit, model, schema, site.Into("limit"), diagnostics);
        if (audience.Splits is { } splits) SplitRules.Check(splits, site.Into("splits"), diagnostics);
        foreach (var duplicate in others.Where(o => o.Name == audience.Name))
            diagnostics.Error(DiagnosticCodes.DuplicateAudience, Messages.DuplicateAudience(audience.Name, duplicate.Location?.File), site.At("name"));
        AudienceCycles.Check(audience, catalog, site, diagnostics);

        return SourceMap.Carry(audience, audience with { Condition = condition });
    }

    /// <summary>Validates every audience of a project against the others; returns the bound audiences in the same order.</summary>
    public static ImmutableArray<AudienceDefinition> ValidateAll(
        IReadOnlyList<AudienceDefinition> audiences, SchemaIndex schema, DiagnosticBag diagnostics) =>
        [.. audiences.Select(a => Validate(a, schema, audiences, diagnostics))];

    /// <summary>
    /// Validates a condition on its own, at the top level of an audience over <paramref name="parentModel"/>
    /// (for editors that check one condition at a time). Returns the bound condition.
    /// </summary>
    public static Condition ValidateCondition(
        Condition condition, ModelDefinition parentModel, SchemaIndex schema, IReadOnlyCollection<AudienceDefinition> audiences,
        DiagnosticBag diagnostics) =>
        new ConditionBinder(schema, new AudienceCatalog(audiences), diagnostics).Bind(condition, parentModel, isParentContext: true);

    private static ModelDefinition? ParentModel(AudienceDefinition audience, SchemaIndex schema, Site site, DiagnosticBag diagnostics)
    {
        var parents = schema.Schema.Models.Where(m => m.Kind == ModelKind.Parent).Select(m => m.Name).ToList();
        var model = schema.Schema.FindModel(audience.Model);
        if (model is null)
        {
            diagnostics.Error(DiagnosticCodes.UnknownModel, Messages.UnknownModel(audience.Model), site.At("model"),
                NameSuggester.Nearest(audience.Model, parents));
            return null;
        }
        if (model.Kind != ModelKind.Parent)
        {
            diagnostics.Error(DiagnosticCodes.UnknownModel, Messages.AudienceOverNonParent(model.Name, model.Kind), site.At("model"), parents);
            return null;
        }
        return model;
    }

    private static void CheckExclusions(AudienceDefinition audience, AudienceCatalog catalog, Site site, DiagnosticBag diagnostics)
    {
        var exclusions = audience.Exclusions;
        for (var i = 0; i < exclusions.Length; i++)
        {
            var target = catalog.Find(exclusions[i]);
            var at = site.At("exclude", $"[{i}]");
            if (target is null)
                diagnostics.Error(DiagnosticCodes.UnknownAudience, Messages.UnknownAudience(exclusions[i]), at,
                    NameSuggester.Nearest(exclusions[i], catalog.Names));
            else if (target.Model != audience.Model)
                diagnostics.Error(DiagnosticCodes.AudienceModelMismatch, Messages.AudienceOverOtherModel(target.Name, target.Model, audience.Model), at);
        }
    }

    private static void CheckLimit(SizeLimit limit, ModelDefinition? model, SchemaIndex schema, Site site, DiagnosticBag diagnostics)
    {
        if (limit.Size < 1)
            diagnostics.Error(DiagnosticCodes.InvalidLimit, Messages.LimitTooSmall(limit.Size), site.At("size"));
        if (model is null || limit.OrderBy.IsDefault) return;
        for (var i = 0; i < limit.OrderBy.Length; i++)
        {
            var term = limit.OrderBy[i];
            var at = site.At("order_by", $"[{i}]", term.Source == OrderSource.Column ? "column" : "trait");
            if (term.Source == OrderSource.Column)
            {
                var column = model.FindColumn(term.Name);
                if (column is null)
                    diagnostics.Error(DiagnosticCodes.InvalidLimit, Messages.UnknownColumn(model.Name, term.Name), at,
                        NameSuggester.Nearest(term.Name, model.Columns.Select(c => c.Name)));
                else if (column.Type.IsArray)
                    diagnostics.Error(DiagnosticCodes.InvalidLimit, Messages.CannotOrderBy(term.Name, column.Type), at);
                continue;
            }
            var trait = schema.Schema.FindTrait(term.Name);
            if (trait is null || trait.Model != model.Name)
                diagnostics.Error(DiagnosticCodes.InvalidLimit, Messages.UnknownTrait(term.Name, model.Name), at,
                    NameSuggester.Nearest(term.Name, schema.Schema.Traits.Where(t => t.Model == model.Name).Select(t => t.Name)));
            else if (TraitTypes.ResultType(trait, schema) is { IsArray: true } type)
                diagnostics.Error(DiagnosticCodes.InvalidLimit, Messages.CannotOrderBy(term.Name, type), at);
        }
    }
}
