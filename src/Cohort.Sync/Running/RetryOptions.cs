namespace Cohort.Sync.Running;

/// <summary>
/// How long a batch is retried on transient failures (429, 5xx, timeouts, broken connections): at most
/// <see cref="MaxAttempts"/> attempts and <see cref="MaxElapsed"/> from the first, with exponential backoff and jitter
/// between <see cref="BaseDelay"/> and <see cref="MaxDelay"/>, or the destination's Retry-After when it gives one.
/// Records the destination answers "retry" for are sent again up to <see cref="RecordAttempts"/> times per run.
/// </summary>
public sealed record RetryOptions
{
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan MaxElapsed { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    public int RecordAttempts { get; init; } = 3;

    /// <summary>Throws <see cref="ArgumentException"/> for settings that cannot work (checked when a runner is built).</summary>
    public void Validate()
    {
        if (MaxAttempts < 1) throw new ArgumentException("MaxAttempts must be at least 1.", nameof(MaxAttempts));
        if (RecordAttempts < 1) throw new ArgumentException("RecordAttempts must be at least 1.", nameof(RecordAttempts));
        if (MaxElapsed <= TimeSpan.Zero) throw new ArgumentException("MaxElapsed must be positive.", nameof(MaxElapsed));
        if (BaseDelay < TimeSpan.Zero || MaxDelay < BaseDelay) throw new ArgumentException("Delays must satisfy 0 <= BaseDelay <= MaxDelay.", nameof(BaseDelay));
    }
}
