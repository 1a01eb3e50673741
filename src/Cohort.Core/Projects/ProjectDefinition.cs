using System.Collections.Immutable;
using Cohort.Core.Diagnostics;
using Cohort.Core.Syncs;
using Cohort.Core.Time;

namespace Cohort.Core.Projects;

/// <summary>
/// A project as described by its <c>cohort.yaml</c>. Paths are absolute, resolved against <see cref="Directory"/>.
/// </summary>
public sealed record ProjectDefinition(
    string Name,
    string Directory,
    WarehouseConfig Warehouse,
    string SchemaPath,
    string AudiencesPath,
    string TimeZone = "UTC",
    SourceLocation? Location = null)
{
    public const string FileName = "cohort.yaml";
    public const string DefaultSchemaFile = "schema.yaml";
    public const string DefaultAudiencesFolder = "audiences";
    public const string DefaultSyncsFolder = "syncs";
    public const string DefaultDestinationsFolder = "destinations";

    /// <summary>The folder of sync files (absolute): <c>syncs:</c> in cohort.yaml, default <c>syncs</c>.</summary>
    public string SyncsPath { get; init; } = System.IO.Path.Combine(Directory, DefaultSyncsFolder);

    /// <summary>The folder of destination files (absolute): <c>destinations:</c> in cohort.yaml when it names a folder, default <c>destinations</c>.</summary>
    public string DestinationsPath { get; init; } = System.IO.Path.Combine(Directory, DefaultDestinationsFolder);

    /// <summary>Destinations defined in cohort.yaml itself (<c>destinations:</c> as a mapping of name to definition).</summary>
    public ImmutableArray<DestinationDefinition> InlineDestinations { get; init; } = [];

    /// <summary>The project's time zone (UTC when the name is not a known zone; the loader reports that as COH334).</summary>
    public TimeZoneInfo ResolveTimeZone() => TimeZones.TryFind(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>A project with every default, for a directory that has no readable <c>cohort.yaml</c>.</summary>
    public static ProjectDefinition Defaults(string directory) => new(
        System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(directory)),
        directory,
        new WarehouseConfig.DuckDb(WarehouseConfig.DuckDb.Memory),
        System.IO.Path.Combine(directory, DefaultSchemaFile),
        System.IO.Path.Combine(directory, DefaultAudiencesFolder));
}
