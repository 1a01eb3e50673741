using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, object?>;

namespace Cohort.Testing.Reference;

/// <summary>
/// The test oracle: a plain in-memory implementation of docs/semantics.md, written as directly from the
/// definitions as possible and sharing nothing with the SQL compiler except the AST, the schema model and
/// <see cref="SchemaIndex"/> (which decides what names refer to, never what conditions mean).
/// Inputs are assumed validated and bound; anything unexpected throws <see cref="InvalidOperationException"/>
/// instead of being guessed at. Not thread-safe (it memoises audience membership and key lookups).
/// </summary>
public sealed partial class ReferenceEvaluator
{
    private readonly SchemaIndex index;
    private readonly ReferenceDataset data;
    private readonly Dictionary<string, AudienceDefinition> audiences;

    public ReferenceEvaluator(SchemaDefinition schema, ReferenceDataset data, IReadOnlyCollection<AudienceDefinition> audiences)
    {
        data.Validate(schema);
        index = new SchemaIndex(schema);
        this.data = data;
        this.audiences = new Dictionary<string, AudienceDefinition>(StringComparer.Ordinal);
        foreach (var audience in audiences)
        {
            if (!this.audiences.TryAdd(audience.Name, audience))
                throw new InvalidOperationException($"Audience '{audience.Name}' is defined twice.");
        }
    }

    public SchemaDefinition Schema => index.Schema;

    /// <summary>Whether <paramref name="condition"/> is true for <paramref name="row"/> of the context model (section 4).</summary>
    public bool Matches(Condition condition, ModelDefinition context, Row row, EvaluationContext ctx) => condition switch
    {
        AllCondition all => NonEmpty(all.Conditions).All(c => Matches(c, context, row, ctx)),
        AnyCondition any => NonEmpty(any.Conditions).Any(c => Matches(c, context, row, ctx)),
        NotCondition not => !Matches(not.Inner, context, row, ctx),
        PropertyCondition p => PropertyTests.Passes(ColumnOf(context, p.Column).Type, ReferenceDataset.Get(row, p.Column), p.Test, ctx),
        EventCondition e => MatchesEvent(e, context, row, ctx),
        SequenceCondition s => MatchesSequence(s, context, row, ctx),
        RelationCondition r => MatchesRelation(r, context, row, ctx),
        TraitCondition t => MatchesTrait(t, RequireParent(context, "trait"), row, ctx),
        AudienceCondition a => IsMember(a.Audience, RequireParent(context, "audience"), row, ctx) == a.Member,
        _ => throw new InvalidOperationException($"Unknown condition {condition.GetType().Name}."),
    };

    private static IEnumerable<Condition> NonEmpty(System.Collections.Immutable.ImmutableArray<Condition> conditions) =>
        conditions.IsDefaultOrEmpty ? throw new InvalidOperationException("An empty all/any group is invalid (COH310).") : conditions;

    private static ColumnDefinition ColumnOf(ModelDefinition model, string column) =>
        model.FindColumn(column) ?? throw new InvalidOperationException($"Model '{model.Name}' has no column '{column}'.");

    private static ModelDefinition RequireParent(ModelDefinition context, string kind) =>
        context.Kind == ModelKind.Parent
            ? context
            : throw new InvalidOperationException($"A {kind} condition is only valid on a parent model, not on '{context.Name}'.");
}
