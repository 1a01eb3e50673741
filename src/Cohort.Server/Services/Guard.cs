using Cohort.Server.Security;
using Cohort.Server.Store;

namespace Cohort.Server.Services;

/// <summary>Checks a permission; a refusal is written to the audit log before it is thrown.</summary>
public sealed class Guard(AuditLog audit)
{
    public async Task RequireAsync(Actor actor, Permission permission, string action, string targetKind, string targetName, CancellationToken ct = default)
    {
        if (actor.Can(permission)) return;
        await audit.WriteAsync(actor.Username, action, targetKind, targetName, AuditOutcomes.Denied,
            detail: $"role {Roles.NameOf(actor.Role)} lacks {permission}", ct: ct).ConfigureAwait(false);
        throw new PermissionDeniedException(actor, permission, action);
    }
}
