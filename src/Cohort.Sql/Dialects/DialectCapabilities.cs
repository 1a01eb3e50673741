namespace Cohort.Sql.Dialects;

/// <summary>
/// What a dialect can express directly. Lowering passes rewrite the features a dialect lacks into ones it has,
/// so emitters stay thin.
/// </summary>
public sealed record DialectCapabilities(
    bool HasEndsWith,
    bool HasAggregateFilter)
{
    public static readonly DialectCapabilities Full = new(HasEndsWith: true, HasAggregateFilter: true);
}
