using System.Collections.Frozen;

namespace Cohort.Server.Security;

public enum Role
{
    Admin,
    DataEngineer,
    Marketer,
    Viewer,
}

/// <summary>What a user may do. Roles grant sets of permissions; PII access can also be granted or withdrawn per user.</summary>
public enum Permission
{
    /// <summary>Read definitions, schema, previews (PII masked unless <see cref="ViewPii"/>), runs.</summary>
    Read,
    /// <summary>Create, change, delete and restore audiences.</summary>
    EditAudiences,
    /// <summary>Create, change and delete sync definitions (not destination credentials).</summary>
    EditSyncs,
    /// <summary>Start a sync run by hand.</summary>
    TriggerSyncs,
    /// <summary>Change the schema (models, columns, relationships, traits) and apply a project.</summary>
    EditSchema,
    /// <summary>Change identity rules.</summary>
    EditIdentity,
    /// <summary>Create and change destinations and their credentials.</summary>
    ManageDestinations,
    /// <summary>Create users, change roles, manage any user's tokens.</summary>
    ManageUsers,
    /// <summary>Read the audit log.</summary>
    ReadAudit,
    /// <summary>See PII columns unmasked in previews, samples and exports.</summary>
    ViewPii,
}

public static class Roles
{
    private static readonly FrozenDictionary<Role, FrozenSet<Permission>> Grants = new Dictionary<Role, FrozenSet<Permission>>
    {
        [Role.Admin] = Enum.GetValues<Permission>().ToFrozenSet(),
        [Role.DataEngineer] = new[]
        {
            Permission.Read, Permission.EditAudiences, Permission.EditSyncs, Permission.TriggerSyncs, Permission.EditSchema,
            Permission.EditIdentity, Permission.ViewPii,
        }.ToFrozenSet(),
        [Role.Marketer] = new[] { Permission.Read, Permission.EditAudiences, Permission.EditSyncs, Permission.TriggerSyncs }.ToFrozenSet(),
        [Role.Viewer] = new[] { Permission.Read }.ToFrozenSet(),
    }.ToFrozenDictionary();

    /// <summary>The permissions of a role, with PII access overridden per user when <paramref name="piiAccess"/> is set.</summary>
    public static FrozenSet<Permission> PermissionsOf(Role role, bool? piiAccess = null)
    {
        var set = Grants[role];
        if (piiAccess is null || piiAccess == set.Contains(Permission.ViewPii)) return set;
        return piiAccess.Value ? set.Append(Permission.ViewPii).ToFrozenSet() : set.Where(p => p != Permission.ViewPii).ToFrozenSet();
    }

    public static string NameOf(Role role) => role switch
    {
        Role.Admin => "admin",
        Role.DataEngineer => "data_engineer",
        Role.Marketer => "marketer",
        _ => "viewer",
    };

    public static bool TryParse(string? text, out Role role)
    {
        foreach (var r in Enum.GetValues<Role>())
        {
            if (string.Equals(NameOf(r), text, StringComparison.OrdinalIgnoreCase)) { role = r; return true; }
        }
        role = Role.Viewer;
        return false;
    }

    public static IEnumerable<string> Names => Enum.GetValues<Role>().Select(NameOf);
}

/// <summary>Who is acting: an authenticated user (through the Studio or a token) or the system itself.</summary>
public sealed record Actor(string UserId, string Username, Role Role, FrozenSet<Permission> Permissions)
{
    public static Actor System { get; } = new("system", "system", Role.Admin, Roles.PermissionsOf(Role.Admin));

    public bool Can(Permission permission) => Permissions.Contains(permission);

    public bool CanViewPii => Can(Permission.ViewPii);
}

/// <summary>The actor lacks a permission. Services throw it after writing a "denied" audit entry; the API answers 403.</summary>
public sealed class PermissionDeniedException(Actor actor, Permission permission, string action)
    : Exception($"{actor.Username} ({Roles.NameOf(actor.Role)}) may not {action}: it needs the '{permission}' permission.")
{
    public Permission Permission { get; } = permission;
}
