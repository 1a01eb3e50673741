namespace Cohort.Identity;

/// <summary>The tables identity resolution writes in the state schema (docs/identity.md, "Tables").</summary>
public static class IdentityTables
{
    public const string DefaultSchema = "cohort_state";

    /// <summary>One row per source record: <c>cohort_id, source, record_key</c>.</summary>
    public const string Records = "identity_records";

    /// <summary>One row per linked identifier value: <c>cohort_id, identifier, type, value, records</c>.</summary>
    public const string Identifiers = "identity_identifiers";

    /// <summary>
    /// One row per identifier value a record carries: <c>source, record_key, identifier, column_name, value, status,
    /// reason, cohort_id</c>; status is linked, blocked, invalid or dropped.
    /// </summary>
    public const string Occurrences = "identity_occurrences";

    /// <summary>The merge log, appended by every run: links, drops and (incremental) merges of existing cohorts.</summary>
    public const string Merges = "identity_merges";

    /// <summary>One row per cohort id in use: <c>cohort_id, first_run</c> (the run that created it; older ids win merges).</summary>
    public const string Cohorts = "identity_cohorts";

    /// <summary>One row per run.</summary>
    public const string Runs = "identity_runs";

    /// <summary>Golden records: one row per cohort with the surviving attributes.</summary>
    public const string Profiles = "identity_profiles";

    /// <summary>
    /// Probabilistic matching: one row per scored pair more likely a match than not (<c>source_a, key_a, source_b,
    /// key_b, match_weight, match_probability, status, reason, levels, tf_adjustment</c>); status is linked, shared
    /// identifiers (already one cohort), rejected (a limit rule) or below threshold.
    /// </summary>
    public const string Pairs = "identity_pairs";

    /// <summary>The trained Fellegi–Sunter model: per field and level its label, m, u and weight; plus the prior and threshold.</summary>
    public const string MatchModel = "identity_match_model";

    internal static readonly string[] Swapped = [Records, Identifiers, Occurrences, Cohorts];
}
