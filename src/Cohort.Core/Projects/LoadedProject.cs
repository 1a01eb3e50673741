using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Identity;
using Cohort.Core.Schema;
using Cohort.Core.Syncs;

namespace Cohort.Core.Projects;

/// <summary>
/// Everything a project defines, read and validated together. <see cref="Schema"/> and <see cref="Audiences"/>
/// are bound (literals typed for their columns); <see cref="Diagnostics"/> holds the problems of every file.
/// Nothing should run while <see cref="HasErrors"/> is true.
/// </summary>
public sealed record LoadedProject(
    ProjectDefinition Project,
    SchemaDefinition Schema,
    ImmutableArray<AudienceDefinition> Audiences,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public SchemaIndex Index => new(Schema);

    public AudienceDefinition? FindAudience(string name) => Audiences.FirstOrDefault(a => a.Name == name);

    /// <summary>The project's syncs (syncs/*.yaml), checked against the schema and audiences; see docs/sync.md.</summary>
    public ImmutableArray<SyncDefinition> Syncs { get; init; } = [];

    /// <summary>The project's destinations (destinations/*.yaml and cohort.yaml), as written; see docs/destinations.md.</summary>
    public ImmutableArray<DestinationDefinition> Destinations { get; init; } = [];

    /// <summary>The project's identity rules (<c>identity.yaml</c> beside <c>cohort.yaml</c>), or null when it has none; see docs/identity.md.</summary>
    public IdentityRules? Identity { get; init; }

    public SyncDefinition? FindSync(string name) => Syncs.FirstOrDefault(s => s.Name == name);

    public DestinationDefinition? FindDestination(string name) => Destinations.FirstOrDefault(d => d.Name == name);

    /// <summary>This project, or a <see cref="CohortDiagnosticsException"/> carrying every error (for API boundaries).</summary>
    public LoadedProject EnsureValid() => HasErrors ? throw new CohortDiagnosticsException(Diagnostics) : this;
}

/// <summary>The outcome of validating one audience given as text: the bound audience (null when unreadable) and its diagnostics.</summary>
public sealed record AudienceLoadResult(AudienceDefinition? Audience, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Succeeded => Audience is not null && !Diagnostics.Any(d => d.IsError);
}

/// <summary>The outcome of validating a schema given as text: the bound schema and its diagnostics.</summary>
public sealed record SchemaLoadResult(SchemaDefinition Schema, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Succeeded => !Diagnostics.Any(d => d.IsError);
}

/// <summary>The outcome of validating one sync given as text: the bound sync (null when unreadable) and its diagnostics.</summary>
public sealed record SyncLoadResult(SyncDefinition? Sync, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Succeeded => Sync is not null && !Diagnostics.Any(d => d.IsError);
}
