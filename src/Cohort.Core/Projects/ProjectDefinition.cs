using Cohort.Core.Diagnostics;
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
