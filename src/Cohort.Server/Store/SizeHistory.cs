namespace Cohort.Server.Store;

public sealed record SizePoint(DateTimeOffset At, long Size, long DurationMs, string Trigger);

/// <summary>Audience sizes recorded at every preview or refresh: the freshness shown in lists and the size-over-time chart.</summary>
public sealed class SizeHistory(MetadataStore store, TimeProvider clock)
{
    public async Task RecordAsync(string audience, long size, TimeSpan duration, string trigger, CancellationToken ct = default) =>
        await store.ExecuteAsync("INSERT INTO audience_sizes (audience, at, size, duration_ms, trigger_kind) VALUES (@a, @at, @size, @ms, @t)", ct,
            ("@a", audience), ("@at", clock.GetUtcNow().ToUnixTimeMilliseconds()), ("@size", size), ("@ms", (long)duration.TotalMilliseconds), ("@t", trigger)).ConfigureAwait(false);

    /// <summary>The newest <paramref name="limit"/> points, oldest first.</summary>
    public async Task<List<SizePoint>> SeriesAsync(string audience, int limit = 200, CancellationToken ct = default)
    {
        var rows = await store.QueryAsync("SELECT at, size, duration_ms, trigger_kind FROM audience_sizes WHERE audience = @a ORDER BY at DESC, seq DESC LIMIT @limit",
            r => new SizePoint(DateTimeOffset.FromUnixTimeMilliseconds(MetadataStore.Long(r, 0)!.Value), MetadataStore.Long(r, 1)!.Value, MetadataStore.Long(r, 2)!.Value, r.GetString(3)),
            ct, ("@a", audience), ("@limit", limit)).ConfigureAwait(false);
        rows.Reverse();
        return rows;
    }

    /// <summary>The latest point of every audience.</summary>
    public async Task<Dictionary<string, SizePoint>> LatestAsync(CancellationToken ct = default)
    {
        var rows = await store.QueryAsync("""
            SELECT s.audience, s.at, s.size, s.duration_ms, s.trigger_kind FROM audience_sizes s
            WHERE s.seq = (SELECT MAX(t.seq) FROM audience_sizes t WHERE t.audience = s.audience)
            """, r => (r.GetString(0), new SizePoint(DateTimeOffset.FromUnixTimeMilliseconds(MetadataStore.Long(r, 1)!.Value), MetadataStore.Long(r, 2)!.Value, MetadataStore.Long(r, 3)!.Value, r.GetString(4))), ct).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);
    }
}
