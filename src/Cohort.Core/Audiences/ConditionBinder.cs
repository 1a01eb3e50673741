using System.Collections.Immutable;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Schema;

namespace Cohort.Core.Audiences;

/// <summary>
/// Validates a condition tree in its context model (docs/semantics.md section 4) and returns a copy whose
/// literals are typed for their columns. Every problem is collected; nodes that cannot be checked are kept as written.
/// </summary>
internal sealed partial class ConditionBinder(SchemaIndex schema, AudienceCatalog audiences, DiagnosticBag diagnostics)
{
    /// <param name="condition">The condition to check.</param>
    /// <param name="context">The model whose rows the condition is evaluated on.</param>
    /// <param name="isParentContext">True at the top of an audience: only there may trait and audience conditions appear.</param>
    public Condition Bind(Condition condition, ModelDefinition context, bool isParentContext)
    {
        var bound = condition switch
        {
            AllCondition all => all with { Conditions = Children(all, all.Conditions, context, isParentContext) },
            AnyCondition any => any with { Conditions = Children(any, any.Conditions, context, isParentContext) },
            NotCondition not => not with { Inner = Bind(not.Inner, context, isParentContext) },
            PropertyCondition property => Property(property, context),
            TraitCondition trait => Trait(trait, context, isParentContext),
            AudienceCondition membership => Membership(membership, context, isParentContext),
            EventCondition e => Event(e, context),
            SequenceCondition sequence => Sequence(sequence, context),
            RelationCondition relation => Relation(relation, context),
            _ => throw new InvalidOperationException($"Unknown condition node {condition.GetType().Name}."),
        };
        return SourceMap.Carry(condition, bound);
    }

    private void Error(string code, string message, SourceLocation? location, IEnumerable<string>? suggestions = null) =>
        diagnostics.Error(code, message, location, suggestions);

    private ImmutableArray<Condition> Children(Condition group, ImmutableArray<Condition> children, ModelDefinition context, bool isParent)
    {
        if (children.IsDefaultOrEmpty)
        {
            var site = Site.Of(group);
            var key = site.Key(k => k is "all" or "any", "");
            Error(DiagnosticCodes.EmptyGroup, Messages.EmptyGroup(group is AllCondition ? "all" : "any"), key.Length == 0 ? site.Here : site.At(key));
            return [];
        }
        return [.. children.Select(c => Bind(c, context, isParent))];
    }

    private Condition Property(PropertyCondition property, ModelDefinition context)
    {
        var site = Site.Of(property);
        var column = context.FindColumn(property.Column);
        if (column is null)
        {
            Error(DiagnosticCodes.UnknownColumn, Messages.UnknownColumn(context.Name, property.Column), site.At("property"),
                NameSuggester.Nearest(property.Column, context.Columns.Select(c => c.Name)));
            return property;
        }
        return property with { Test = Test(property.Test, column.Type, site, Messages.ColumnSubject(column.Name, column.Type)) };
    }

    private Condition Trait(TraitCondition condition, ModelDefinition context, bool isParent)
    {
        var site = Site.Of(condition);
        if (!isParent)
        {
            Error(DiagnosticCodes.NotAllowedInContext, Messages.TraitOutsideParent(condition.Trait, context.Name), site.At("trait"));
            return condition;
        }
        var trait = schema.Schema.FindTrait(condition.Trait);
        if (trait is null)
        {
            var names = schema.Schema.Traits.Where(t => t.Model == context.Name).Select(t => t.Name);
            Error(DiagnosticCodes.UnknownTrait, Messages.UnknownTrait(condition.Trait, context.Name), site.At("trait"),
                NameSuggester.Nearest(condition.Trait, names));
            return condition;
        }
        if (trait.Model != context.Name)
        {
            Error(DiagnosticCodes.NotAllowedInContext, Messages.TraitOfOtherModel(trait.Name, trait.Model, context.Name), site.At("trait"));
            return condition;
        }
        if (TraitTypes.ResultType(trait, schema) is not { } type) return condition;
        return condition with { Test = Test(condition.Test, type, site, Messages.TraitSubject(trait.Name, type)) };
    }

    private Condition Membership(AudienceCondition condition, ModelDefinition context, bool isParent)
    {
        var site = Site.Of(condition);
        if (!isParent)
        {
            Error(DiagnosticCodes.NotAllowedInContext, Messages.AudienceOutsideParent(condition.Audience, context.Name), site.At("audience"));
            return condition;
        }
        var target = audiences.Find(condition.Audience);
        if (target is null)
            Error(DiagnosticCodes.UnknownAudience, Messages.UnknownAudience(condition.Audience), site.At("audience"),
                NameSuggester.Nearest(condition.Audience, audiences.Names));
        else if (target.Model != context.Name)
            Error(DiagnosticCodes.AudienceModelMismatch, Messages.AudienceOverOtherModel(target.Name, target.Model, context.Name), site.At("audience"));
        return condition;
    }
}
