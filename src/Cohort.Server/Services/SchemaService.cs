using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Server.Projects;
using Cohort.Server.Security;
using Cohort.Server.Store;

namespace Cohort.Server.Services;

/// <summary>Schema changes: validated, versioned and audited like audiences (data engineers and admins only).</summary>
public sealed class SchemaService(ProjectState project, DocumentStore documents, AuditLog audit, Guard guard)
{
    public async Task<SaveResult> SaveAsync(Actor actor, string text, DocumentFormat format, int? expectedVersion, CancellationToken ct = default)
    {
        await guard.RequireAsync(actor, Permission.EditSchema, "schema.update", "schema", DocumentKinds.SchemaName, ct).ConfigureAwait(false);
        var result = ProjectLoader.LoadSchemaText(text, format, format == DocumentFormat.Json ? "schema.json" : "schema.yaml");
        if (!result.Succeeded) throw new CohortDiagnosticsException(result.Diagnostics);
        var save = await documents.SaveAsync(DocumentKinds.Schema, DocumentKinds.SchemaName, format == DocumentFormat.Json ? "json" : "yaml", text,
            actor.Username, expectedVersion, ct: ct).ConfigureAwait(false);
        project.Invalidate();
        if (save.Outcome != SaveOutcome.Unchanged)
            await audit.WriteAsync(actor.Username, "schema.update", "schema", DocumentKinds.SchemaName, AuditOutcomes.Ok, save.PreviousContent, text,
                $"version {save.Version!.Version}", ct).ConfigureAwait(false);
        return save;
    }

    public async Task<SaveResult> RestoreAsync(Actor actor, int version, CancellationToken ct = default)
    {
        var old = await documents.VersionAsync(DocumentKinds.Schema, DocumentKinds.SchemaName, version, ct).ConfigureAwait(false)
            ?? throw new NotFoundException("schema version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await SaveAsync(actor, old.Content, ProjectState.FormatOf(old.Format), null, ct).ConfigureAwait(false);
    }
}
