using System.Collections.Concurrent;

namespace Cohort.Sync.Running;

/// <summary>
/// Paces requests to one destination: at most <c>MaxConcurrentRequests</c> in flight, requests spaced to the
/// destination's rate, and a pause for everyone when the destination throttles (429): until its Retry-After, or for an
/// exponential backoff when it gives none, after which the rate is halved and climbs back by 10% per success. All
/// waiting uses the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class DestinationRateLimiter : IDisposable
{
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly double? _maxRate;
    private readonly object _gate = new();
    private double? _rate;
    private DateTimeOffset _next;
    private DateTimeOffset _pausedUntil;
    private int _throttles;

    public DestinationRateLimiter(double? requestsPerSecond, int maxConcurrentRequests, TimeProvider time)
    {
        if (requestsPerSecond is <= 0) throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), "The rate must be positive.");
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _maxRate = _rate = requestsPerSecond;
        MaxConcurrentRequests = Math.Max(1, maxConcurrentRequests);
        _slots = new SemaphoreSlim(MaxConcurrentRequests, MaxConcurrentRequests);
        _next = _pausedUntil = time.GetUtcNow();
    }

    public int MaxConcurrentRequests { get; }

    /// <summary>The rate now in force (requests per second), or null when unlimited.</summary>
    public double? CurrentRate
    {
        get { lock (_gate) return _rate; }
    }

    /// <summary>Until when every request waits because the destination throttled.</summary>
    public DateTimeOffset PausedUntil
    {
        get { lock (_gate) return _pausedUntil; }
    }

    /// <summary>Waits for a slot and the next permitted start; dispose the lease when the request is over.</summary>
    public async ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Each request reserves the next slot of an absolute schedule, so a timer that fires a little late does not
            // push every later request back; a pause that begins while it waits sends it back for a new slot.
            while (true)
            {
                TimeSpan wait;
                DateTimeOffset start;
                lock (_gate)
                {
                    var now = _time.GetUtcNow();
                    start = Max(now, Max(_next, _pausedUntil));
                    _next = start + Interval();
                    wait = start - now;
                }
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Give the slot back when no later request reserved one after it.
                        lock (_gate)
                        {
                            if (_next == start + Interval()) _next = start;
                        }
                        throw;
                    }
                }
                lock (_gate)
                {
                    if (_pausedUntil <= start) break;
                }
            }
            return new Lease(_slots);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>The destination throttled (429): everyone waits <paramref name="retryAfter"/> (or a backoff), and the rate is halved.</summary>
    public void OnThrottled(TimeSpan? retryAfter)
    {
        lock (_gate)
        {
            _throttles = Math.Min(_throttles + 1, 16);
            var pause = retryAfter ?? TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, _throttles - 1)));
            var until = _time.GetUtcNow() + pause;
            if (until > _pausedUntil) _pausedUntil = until;
            if (_rate is { } rate) _rate = Math.Max(rate / 2, Math.Min(0.1, _maxRate!.Value));
        }
    }

    /// <summary>A request succeeded: the rate climbs back towards the configured one.</summary>
    public void OnSuccess()
    {
        lock (_gate)
        {
            _throttles = 0;
            if (_rate is { } rate && _maxRate is { } max && rate < max) _rate = Math.Min(max, rate * 1.1);
        }
    }

    private TimeSpan Interval() => _rate is { } rate ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    public void Dispose() => _slots.Dispose();

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}

/// <summary>
/// One limiter per destination name, shared by every run in the process, so two syncs to the same destination share its
/// limits while a slow or throttling destination never slows another.
/// </summary>
public sealed class RateLimiterRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DestinationRateLimiter> _limiters = new(StringComparer.Ordinal);

    public DestinationRateLimiter For(string destination, double? requestsPerSecond, int maxConcurrentRequests) =>
        _limiters.GetOrAdd(destination, _ => new DestinationRateLimiter(requestsPerSecond, maxConcurrentRequests, time));
}
