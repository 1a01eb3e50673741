using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;
using Cohort.Core.Identity;
using Cohort.Core.Schema;
using Cohort.Core.Syncs;

namespace Cohort.Core.Projects;

/// <summary>
/// Loads a project: <c>cohort.yaml</c>, its schema and every audience file, validated together so that the
/// problems of all files are reported at once. Diagnostics name files relative to the project directory.
/// </summary>
public static class ProjectLoader
{
    /// <summary>Loads the project in a directory, or the project whose <c>cohort.yaml</c> is given.</summary>
    public static LoadedProject Load(string pathToDirOrFile)
    {
        var diagnostics = new DiagnosticBag();
        var full = Path.GetFullPath(pathToDirOrFile);
        var (directory, projectFile) = Directory.Exists(full)
            ? (full, Path.Combine(full, ProjectDefinition.FileName))
            : (Path.GetDirectoryName(full) ?? full, full);

        var project = ProjectDefinition.Defaults(directory);
        if (!File.Exists(projectFile))
            diagnostics.Error(DiagnosticCodes.FileNotFound, Messages.ProjectFileNotFound(Display(directory, projectFile)), new SourceLocation(Display(directory, projectFile), 0, 0, ""));
        else if (DocumentReader.ReadFile(projectFile, diagnostics, Display(directory, projectFile)) is { } root)
            project = ProjectReader.Read(root, directory, diagnostics);

        var schema = LoadSchema(project, diagnostics);
        var audiences = ReadAudiences(project, diagnostics);
        // Without a readable schema every audience would only report unknown names; its read errors are enough.
        ImmutableArray<AudienceDefinition> bound = schema is null
            ? [.. audiences]
            : AudienceValidator.ValidateAll(audiences, new SchemaIndex(schema), diagnostics);
        var destinations = ReadDestinations(project, diagnostics);
        SyncValidator.CheckDestinations(destinations, diagnostics);
        var syncs = ReadFolder(project, project.SyncsPath, ProjectDefinition.DefaultSyncsFolder, "syncs", diagnostics, SyncReader.ReadFile);
        ImmutableArray<SyncDefinition> boundSyncs = schema is null
            ? [.. syncs]
            : SyncValidator.ValidateAll(syncs, destinations, new SchemaIndex(schema), bound, diagnostics);
        var identityPath = Path.Combine(project.Directory, IdentityRules.FileName);
        var identity = File.Exists(identityPath)
            ? IdentityReader.ReadFile(identityPath, schema, diagnostics, Display(project.Directory, identityPath))
            : null;
        return new LoadedProject(project, schema ?? SchemaDefinition.Empty, bound, diagnostics.ToImmutable())
        {
            Syncs = boundSyncs,
            Destinations = [.. destinations],
            Identity = identity,
        };
    }

    /// <summary>
    /// Reads and validates one sync given as text against a loaded project (for servers saving an edit). A sync of
    /// the project with the same name is taken to be the one being replaced.
    /// </summary>
    public static SyncLoadResult LoadSyncText(LoadedProject project, string text, DocumentFormat format, string fileName = "sync")
    {
        var diagnostics = new DiagnosticBag();
        var root = DocumentReader.ReadText(text, format, fileName, diagnostics);
        var sync = root is null ? null : SyncReader.Read(root, Path.GetFileNameWithoutExtension(fileName), diagnostics);
        if (sync is null) return new SyncLoadResult(null, diagnostics.ToImmutable());
        var bound = SyncValidator.Validate(sync, project.Destinations, project.Index, project.Audiences, diagnostics);
        return new SyncLoadResult(bound, diagnostics.ToImmutable());
    }

    private static List<DestinationDefinition> ReadDestinations(ProjectDefinition project, DiagnosticBag diagnostics)
    {
        var files = ReadFolder(project, project.DestinationsPath, ProjectDefinition.DefaultDestinationsFolder, "destinations", diagnostics, DestinationReader.ReadFile);
        return [.. project.InlineDestinations, .. files];
    }

    /// <summary>Every definition file in a folder (recursively, in name order); a missing folder is an error only when configured.</summary>
    private static List<T> ReadFolder<T>(
        ProjectDefinition project, string folder, string defaultFolder, string key, DiagnosticBag diagnostics,
        Func<string, DiagnosticBag, string?, T?> read) where T : class
    {
        if (!Directory.Exists(folder))
        {
            var isDefault = Path.GetFullPath(folder) == Path.GetFullPath(Path.Combine(project.Directory, defaultFolder));
            if (!isDefault)
                diagnostics.Error(DiagnosticCodes.FileNotFound, Messages.FolderNotFound(key, Display(project.Directory, folder)), project.Location?.WithPath(key));
            return [];
        }
        var result = new List<T>();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                     .Where(f => DocumentReader.FormatOf(f) is not null)
                     .Select(f => (Path: f, Display: Display(project.Directory, f)))
                     .OrderBy(f => f.Display, StringComparer.Ordinal))
        {
            if (read(file.Path, diagnostics, file.Display) is { } item) result.Add(item);
        }
        return result;
    }

    /// <summary>
    /// Reads and validates one audience given as text against a loaded project, as a server does before saving an
    /// edit. An audience of the project with the same name is taken to be the one being replaced.
    /// </summary>
    public static AudienceLoadResult LoadAudienceText(LoadedProject project, string text, DocumentFormat format, string fileName = "audience")
    {
        var diagnostics = new DiagnosticBag();
        var root = DocumentReader.ReadText(text, format, fileName, diagnostics);
        var audience = root is null ? null : AudienceReader.Read(root, AudienceReader.DefaultName(fileName), diagnostics);
        if (audience is null) return new AudienceLoadResult(null, diagnostics.ToImmutable());
        var others = project.Audiences.Where(a => a.Name != audience.Name).Append(audience).ToList();
        var bound = AudienceValidator.Validate(audience, project.Index, others, diagnostics);
        return new AudienceLoadResult(bound, diagnostics.ToImmutable());
    }

    /// <summary>Reads and validates a schema given as text (for editors and servers).</summary>
    public static SchemaLoadResult LoadSchemaText(string text, DocumentFormat format, string fileName = "schema.yaml")
    {
        var diagnostics = new DiagnosticBag();
        var root = DocumentReader.ReadText(text, format, fileName, diagnostics);
        var schema = root is null ? SchemaDefinition.Empty : SchemaValidator.Validate(SchemaReader.Read(root, diagnostics), diagnostics);
        return new SchemaLoadResult(schema, diagnostics.ToImmutable());
    }

    private static SchemaDefinition? LoadSchema(ProjectDefinition project, DiagnosticBag diagnostics)
    {
        var display = Display(project.Directory, project.SchemaPath);
        var schema = SchemaReader.ReadFile(project.SchemaPath, diagnostics, display);
        return schema is null ? null : SchemaValidator.Validate(schema, diagnostics);
    }

    private static List<AudienceDefinition> ReadAudiences(ProjectDefinition project, DiagnosticBag diagnostics)
    {
        var folder = project.AudiencesPath;
        if (!Directory.Exists(folder))
        {
            var isDefault = Path.GetFullPath(folder) == Path.GetFullPath(Path.Combine(project.Directory, ProjectDefinition.DefaultAudiencesFolder));
            if (!isDefault)
                diagnostics.Error(DiagnosticCodes.FileNotFound, Messages.AudiencesFolderNotFound(Display(project.Directory, folder)), project.Location?.WithPath("audiences"));
            return [];
        }
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => DocumentReader.FormatOf(f) is not null)
            .Select(f => (Path: f, Display: Display(project.Directory, f)))
            .OrderBy(f => f.Display, StringComparer.Ordinal)
            .ToList();
        var audiences = new List<AudienceDefinition>(files.Count);
        foreach (var file in files)
        {
            if (AudienceReader.ReadFile(file.Path, diagnostics, file.Display) is { } audience) audiences.Add(audience);
        }
        return audiences;
    }

    /// <summary>A path as shown in diagnostics: relative to the project directory, with forward slashes.</summary>
    private static string Display(string directory, string path)
    {
        var relative = Path.GetRelativePath(directory, path);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? path : relative).Replace('\\', '/');
    }
}
