using System.Collections.Immutable;
using Cohort.Destinations.Abstractions;
using Polly;
using Polly.Retry;

namespace Cohort.Sync.Running;

/// <summary>The final outcome of one record after retries and splitting; <see cref="AskedToRetry"/> when the destination itself answered "retry" for it.</summary>
internal readonly record struct SentRecord(OutboundRecord Record, RecordOutcome Outcome, string? Reason, int Attempts, bool WasSent, bool AskedToRetry = false);

/// <summary>Credentials or configuration failed: the sync stops, with the destination's message.</summary>
internal sealed class SyncStoppedException(DestinationException inner) : Exception(inner.Message, inner)
{
    public DestinationException Destination { get; } = inner;
}

/// <summary>
/// Sends one batch and returns an outcome for every record: transient failures retried (Polly, bounded by attempts and
/// elapsed time, honouring Retry-After), batches rejected whole split in halves until the bad records are alone,
/// records the destination asks to retry sent again, and credential or configuration failures stopping the sync.
/// </summary>
internal sealed class BatchSender
{
    private static readonly ResiliencePropertyKey<long> StartedKey = new("cohort.started");

    private readonly IDestination _destination;
    private readonly DestinationRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly RetryOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private long _requests;
    private long _retries;

    public BatchSender(IDestination destination, DestinationRateLimiter limiter, TimeProvider time, RetryOptions options)
    {
        options.Validate();
        _destination = destination;
        _limiter = limiter;
        _time = time;
        _options = options;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(options.MaxAttempts > 1 && ShouldRetry(args.Outcome.Exception, args.Context)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is DestinationException { RetryAfter: { } after } ? (TimeSpan?)after : null),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _retries);
                    if (args.Outcome.Exception is DestinationException { StatusCode: 429 } throttled) _limiter.OnThrottled(throttled.RetryAfter);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public long Requests => Interlocked.Read(ref _requests);

    public long Retries => Interlocked.Read(ref _retries);

    private bool ShouldRetry(Exception? exception, ResilienceContext context)
    {
        if (exception is not DestinationException { ErrorClass: DestinationErrorClass.Transient } transient) return false;
        var started = context.Properties.GetValue(StartedKey, 0L);
        var elapsed = _time.GetElapsedTime(started);
        return elapsed + (transient.RetryAfter ?? TimeSpan.Zero) < _options.MaxElapsed;
    }

    public async Task<IReadOnlyList<SentRecord>> SendAsync(BatchOperation operation, IReadOnlyList<OutboundRecord> records, CancellationToken cancellationToken)
    {
        var results = new List<SentRecord>(records.Count);
        var attempts = records.ToDictionary(r => r.Key, _ => 0, StringComparer.Ordinal);
        IReadOnlyList<OutboundRecord> next = records;
        for (var round = 1; next.Count > 0; round++)
        {
            var retry = new List<OutboundRecord>();
            foreach (var sent in await SplittingAsync(operation, next, cancellationToken).ConfigureAwait(false))
            {
                var tries = attempts[sent.Record.Key] += sent.Attempts;
                if (sent.AskedToRetry && round < _options.RecordAttempts)
                    retry.Add(sent.Record);
                else
                    results.Add(sent with { Attempts = tries });
            }
            next = retry;
        }
        return results;
    }

    /// <summary>Sends a batch; when the destination rejects it whole, sends each half, down to single records.</summary>
    private async Task<List<SentRecord>> SplittingAsync(BatchOperation operation, IReadOnlyList<OutboundRecord> records, CancellationToken cancellationToken)
    {
        var batch = new DestinationBatch(operation, [.. records]);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StartedKey, _time.GetTimestamp());
        var attempts = 0;
        try
        {
            var result = await _pipeline.ExecuteAsync(async ctx =>
            {
                attempts++;
                using var lease = await _limiter.AcquireAsync(ctx.CancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _requests);
                var answer = await _destination.SendAsync(batch, ctx.CancellationToken).ConfigureAwait(false);
                _limiter.OnSuccess();
                return answer;
            }, context).ConfigureAwait(false);
            return Map(records, result, attempts);
        }
        catch (DestinationException e) when (e.ErrorClass == DestinationErrorClass.Permanent)
        {
            if (records.Count == 1)
                return [new SentRecord(records[0], RecordOutcome.Rejected, e.Message, attempts, true)];
            var half = records.Count / 2;
            var left = await SplittingAsync(operation, records.Take(half).ToList(), cancellationToken).ConfigureAwait(false);
            var right = await SplittingAsync(operation, records.Skip(half).ToList(), cancellationToken).ConfigureAwait(false);
            return [.. left, .. right];
        }
        catch (DestinationException e) when (e.ErrorClass == DestinationErrorClass.Transient)
        {
            var reason = SyncMessages.RetriesExhausted(attempts, _time.GetElapsedTime(context.Properties.GetValue(StartedKey, 0L)), e.Message);
            return [.. records.Select(r => new SentRecord(r, RecordOutcome.Pending, reason, attempts, true))];
        }
        catch (DestinationException e)
        {
            throw new SyncStoppedException(e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static List<SentRecord> Map(IReadOnlyList<OutboundRecord> records, BatchResult result, int attempts)
    {
        var byKey = new Dictionary<string, RecordResult>(StringComparer.Ordinal);
        foreach (var r in result.Records.IsDefault ? [] : result.Records) byKey.TryAdd(r.Key, r);
        return [.. records.Select(r => byKey.TryGetValue(r.Key, out var outcome)
            ? new SentRecord(r, outcome.Outcome, outcome.Outcome == RecordOutcome.Succeeded ? null : outcome.Reason ?? outcome.Outcome.ToString(), attempts, true,
                AskedToRetry: outcome.Outcome == RecordOutcome.Pending)
            : new SentRecord(r, RecordOutcome.Pending, SyncMessages.NoResult, attempts, true))];
    }
}
