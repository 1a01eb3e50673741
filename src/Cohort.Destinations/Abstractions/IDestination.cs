namespace Cohort.Destinations.Abstractions;

/// <summary>
/// One configured connection to an external system. Adding a destination means implementing this interface
/// (a batch in, one result per record out) plus a <see cref="DestinationDescriptor"/> of its limits and fields;
/// batching, rate limiting, retries, splitting of rejected batches and the commit protocol belong to the sync engine.
/// </summary>
public interface IDestination : IAsyncDisposable
{
    DestinationDescriptor Descriptor { get; }

    /// <summary>
    /// Sends one batch (never larger than the descriptor's limits) and reports an outcome for every record in it.
    /// A failure of the whole request is a thrown <see cref="DestinationException"/>; a record the destination
    /// refused is a <see cref="RecordOutcome.Rejected"/> result with its reason. Must be idempotent per record:
    /// the engine may resend a record whose outcome it never recorded (after a crash).
    /// </summary>
    Task<BatchResult> SendAsync(DestinationBatch batch, CancellationToken cancellationToken);

    /// <summary>Called once at the end of a run (e.g. to run a Google Ads job or publish a file atomically).</summary>
    Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
