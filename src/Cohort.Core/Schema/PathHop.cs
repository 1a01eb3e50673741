namespace Cohort.Core.Schema;

/// <summary>
/// One step of a relationship path, oriented in the direction of travel: rows of <see cref="Target"/> reached
/// from a row of <see cref="Source"/>. Without a join model, <c>Source.SourceKey = Target.TargetKey</c>; with one,
/// <c>Source.SourceKey = Join.JoinSourceKey</c> and <c>Join.JoinTargetKey = Target.TargetKey</c>.
/// </summary>
public sealed record PathHop(
    RelationshipDefinition Relationship,
    bool Reversed,
    ModelDefinition Source,
    ModelDefinition Target,
    string SourceKey,
    string TargetKey,
    Cardinality Cardinality,
    ModelDefinition? Join = null,
    string? JoinSourceKey = null,
    string? JoinTargetKey = null)
{
    /// <summary>The name this hop is reached by from <see cref="Source"/>.</summary>
    public string Name => Reversed ? Relationship.ReverseName ?? Relationship.From : Relationship.Name;
}

/// <summary>A resolved relationship path from a context model.</summary>
public sealed record RelationPath(ModelDefinition Start, IReadOnlyList<PathHop> Hops)
{
    public ModelDefinition End => Hops.Count == 0 ? Start : Hops[^1].Target;

    /// <summary>
    /// True when one start row can reach the same end row more than once: a many-to-many hop, or a
    /// many-to-one hop after a hop that fans out. Such paths need the end model's primary key to count distinct rows.
    /// </summary>
    public bool MayRepeatRows
    {
        get
        {
            var fannedOut = false;
            foreach (var hop in Hops)
            {
                switch (hop.Cardinality)
                {
                    case Cardinality.ManyToMany:
                        return true;
                    case Cardinality.OneToMany:
                        fannedOut = true;
                        break;
                    case Cardinality.ManyToOne or Cardinality.OneToOne when fannedOut:
                        return true;
                }
            }
            return false;
        }
    }
}
