using Cohort.Sync.Running;
using Microsoft.Extensions.Time.Testing;

namespace Cohort.Sync.Tests;

/// <summary>The per-destination limiter on a fake clock: pacing, concurrency, 429 pauses and backoff.</summary>
public sealed class RateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Requests_are_spaced_to_the_rate()
    {
        using var limiter = new DestinationRateLimiter(requestsPerSecond: 4, maxConcurrentRequests: 10, _time);
        (await limiter.AcquireAsync(default)).Dispose();
        var second = limiter.AcquireAsync(default).AsTask();
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        (await second).Dispose();
    }

    [Fact]
    public async Task At_most_the_concurrent_limit_is_in_flight()
    {
        using var limiter = new DestinationRateLimiter(null, maxConcurrentRequests: 2, _time);
        var a = await limiter.AcquireAsync(default);
        var b = await limiter.AcquireAsync(default);
        var c = limiter.AcquireAsync(default).AsTask();
        await Task.Delay(20);
        Assert.False(c.IsCompleted);
        a.Dispose();
        (await c).Dispose();
        b.Dispose();
    }

    [Fact]
    public async Task A_429_pauses_everyone_until_its_retry_after_and_halves_the_rate()
    {
        using var limiter = new DestinationRateLimiter(requestsPerSecond: 10, maxConcurrentRequests: 4, _time);
        limiter.OnThrottled(TimeSpan.FromSeconds(30));
        Assert.Equal(5, limiter.CurrentRate);
        var waiting = limiter.AcquireAsync(default).AsTask();
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        (await waiting).Dispose();
        for (var i = 0; i < 10; i++) limiter.OnSuccess();
        Assert.Equal(10, limiter.CurrentRate);
    }

    [Fact]
    public void Without_retry_after_the_pause_backs_off_exponentially()
    {
        using var limiter = new DestinationRateLimiter(null, 1, _time);
        var start = _time.GetUtcNow();
        limiter.OnThrottled(null);
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.PausedUntil - start);
        limiter.OnThrottled(null);
        Assert.Equal(TimeSpan.FromSeconds(2), limiter.PausedUntil - start);
        limiter.OnThrottled(null);
        Assert.Equal(TimeSpan.FromSeconds(4), limiter.PausedUntil - start);
    }

    [Fact]
    public async Task A_cancelled_wait_gives_its_slot_back()
    {
        using var limiter = new DestinationRateLimiter(1, 1, _time);
        (await limiter.AcquireAsync(default)).Dispose();
        using var cancel = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        _time.Advance(TimeSpan.FromSeconds(1));
        (await limiter.AcquireAsync(default)).Dispose();
    }

    [Fact]
    public void Limiters_are_shared_per_destination_name()
    {
        var registry = new RateLimiterRegistry(_time);
        Assert.Same(registry.For("crm", 5, 1), registry.For("crm", 5, 1));
        Assert.NotSame(registry.For("crm", 5, 1), registry.For("ads", 5, 1));
    }
}
