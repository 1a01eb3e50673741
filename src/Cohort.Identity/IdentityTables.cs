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

    internal static readonly string[] Swapped = [Records, Identifiers, Occurrences, Cohorts];
}
