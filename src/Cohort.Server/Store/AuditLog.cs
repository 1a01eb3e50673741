using System.Data.Common;

namespace Cohort.Server.Store;

public static class AuditOutcomes
{
    public const string Ok = "ok";
    public const string Denied = "denied";
    public const string Rejected = "rejected";
}

/// <summary>One audit entry: who did what to which target, when, with what result, and the value before and after.</summary>
public sealed record AuditEntry(
    long Seq, DateTimeOffset At, string Actor, string Action, string TargetKind, string TargetName, string Outcome,
    string? Before, string? After, string? Detail);

/// <summary>
/// The append-only audit log. This class has no update or delete path, and the store's triggers refuse them
/// (SQLite and PostgreSQL alike).
/// </summary>
public sealed class AuditLog(MetadataStore store, TimeProvider clock)
{
    public async Task WriteAsync(string actor, string action, string targetKind, string targetName, string outcome,
        string? before = null, string? after = null, string? detail = null, CancellationToken ct = default) =>
        await store.ExecuteAsync("""
            INSERT INTO audit_log (at, actor, action, target_kind, target_name, outcome, before_value, after_value, detail)
            VALUES (@at, @actor, @action, @kind, @name, @outcome, @before, @after, @detail)
            """, ct, ("@at", clock.GetUtcNow().ToUnixTimeMilliseconds()), ("@actor", actor), ("@action", action), ("@kind", targetKind),
            ("@name", targetName), ("@outcome", outcome), ("@before", before), ("@after", after), ("@detail", detail)).ConfigureAwait(false);

    /// <summary>The newest entries first; <paramref name="beforeSeq"/> pages backwards.</summary>
    public async Task<List<AuditEntry>> ReadAsync(int limit = 100, long? beforeSeq = null, string? action = null, string? outcome = null, CancellationToken ct = default)
    {
        // Filters are added only when given: an untyped NULL parameter cannot be compared on PostgreSQL.
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", Math.Clamp(limit, 1, 1000)) };
        if (beforeSeq is not null) { where.Add("seq < @before"); parameters.Add(("@before", beforeSeq.Value)); }
        if (action is not null) { where.Add("action = @action"); parameters.Add(("@action", action)); }
        if (outcome is not null) { where.Add("outcome = @outcome"); parameters.Add(("@outcome", outcome)); }
        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        return await store.QueryAsync($"""
            SELECT seq, at, actor, action, target_kind, target_name, outcome, before_value, after_value, detail FROM audit_log
            {filter} ORDER BY seq DESC LIMIT @limit
            """, Read, ct, [.. parameters]).ConfigureAwait(false);
    }

    private static AuditEntry Read(DbDataReader r) => new(
        MetadataStore.Long(r, 0)!.Value, DateTimeOffset.FromUnixTimeMilliseconds(MetadataStore.Long(r, 1)!.Value), r.GetString(2), r.GetString(3),
        r.GetString(4), r.GetString(5), r.GetString(6), MetadataStore.Text(r, 7), MetadataStore.Text(r, 8), MetadataStore.Text(r, 9));
}
