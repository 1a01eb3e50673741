using Cohort.Server.Projects;
using Cohort.Server.Security;
using Cohort.Server.Store;

namespace Cohort.Server.Services;

/// <summary>
/// Restoring destinations and syncs: an old version's document is checked like a normal save against the project as it
/// is now (a sync whose audience or destination is gone is refused, nothing changes) and becomes a new version.
/// </summary>
public sealed partial class DefinitionService
{
    /// <summary>
    /// Restores an old version of a destination (admin only). Secrets are not versioned: the restored settings use the
    /// values stored now, a secret the old version refers to that is not set stays unset (the audit entry lists it), and
    /// stored secrets it does not refer to are removed, as on any save.
    /// </summary>
    public async Task<SaveResult> RestoreDestinationAsync(Actor actor, string name, int version, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.ManageDestinations, "destination.restore", "destination", name, ct).ConfigureAwait(false);
        var old = await RestorableAsync(DocumentKinds.Destination, name, version, ct).ConfigureAwait(false);
        return await WriteDestinationAsync(actor, old.Content, ProjectState.FormatOf(old.Format), name, asWritten: true, null, version, ct).ConfigureAwait(false);
    }

    /// <summary>Restores an old version of a sync; its schedule becomes the scheduler's job again.</summary>
    public async Task<SaveResult> RestoreSyncAsync(Actor actor, string name, int version, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.EditSyncs, "sync.restore", "sync", name, ct).ConfigureAwait(false);
        var old = await RestorableAsync(DocumentKinds.Sync, name, version, ct).ConfigureAwait(false);
        return await WriteSyncAsync(actor, old.Content, ProjectState.FormatOf(old.Format), name, asWritten: true, null, null, version, ct).ConfigureAwait(false);
    }

    public Task<List<DocumentVersion>> VersionsAsync(string kind, string name, CancellationToken ct = default) => documents.VersionsAsync(kind, name, ct);

    /// <summary>An old version that can be restored: it exists and is not a deletion.</summary>
    private async Task<DocumentVersion> RestorableAsync(string kind, string name, int version, CancellationToken ct)
    {
        var old = await documents.VersionAsync(kind, name, version, ct).ConfigureAwait(false)
            ?? throw new NotFoundException($"{kind} version", $"{name} v{version}");
        if (old.Deleted) throw new RequestException("Cannot restore a deletion", $"Version {version} of '{name}' is a deletion; restore the version before it.");
        return old;
    }

    private static string RestoredComment(int version) => $"restored from version {version}";
}
