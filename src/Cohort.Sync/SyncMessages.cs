using System.Globalization;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Values;

namespace Cohort.Sync;

/// <summary>Every user-facing message of the sync engine, in one place. Never row data.</summary>
internal static class SyncMessages
{
    public static string OperationNotSupported(SyncDefinition sync, string type, BatchOperation operation, string? hint = null) =>
        $"Sync '{sync.Name}' (mode {sync.Mode.ToString().ToLowerInvariant()}{(sync.EffectiveExit != ExitAction.Keep && sync.Mode is not SyncMode.Membership and not SyncMode.Mirror ? $", on_exit {sync.EffectiveExit.ToString().ToLowerInvariant()}" : "")}) " +
        $"needs the operation '{operation.ToString().ToLowerInvariant()}', which destinations of type '{type}' do not support{(hint is null ? "" : " as configured; " + hint)}.";

    public static string IdentifierNotAccepted(string identifier, string type, IEnumerable<IdentifierType> accepted) =>
        $"Destinations of type '{type}' do not take the identifier '{identifier}'; they take {string.Join(", ", accepted.Select(IdentifierTypes.NameOf))}.";

    public static string SyncStopped(string sync, string reason) => $"Sync '{sync}' stopped: {reason}";

    public static string NoIdentifier => "The record has no identifier value to match on.";

    public static string RequiredFieldMissing(string field) => $"The required field '{field}' is empty.";

    public static string RejectedAlone(string reason) => reason;

    public static string RetriesExhausted(int attempts, TimeSpan elapsed, string reason) =>
        $"Not confirmed after {attempts.ToString(CultureInfo.InvariantCulture)} attempt(s) over {elapsed.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s: {reason}";

    public static string NoResult => "The destination returned no result for this record.";

    public static string NotAttempted => "Not sent: the run stopped before reaching this record.";

    public static string CompleteFailed(string reason) => $"The destination could not complete the run ({reason}); the run's records are sent again next run.";

    public static string SyncBusy(string sync) => $"Sync '{sync}' is already running in this process.";

    public static string Interrupted => "The run was interrupted (the process stopped) before it finished; its confirmed rows were kept.";
}
