using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Diagnostics;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;

namespace Cohort.Destinations.Files;

public enum FileFormat
{
    Csv,
    JsonLines,
    Parquet,
}

/// <summary>
/// Writes one file per run holding the run's changes: one row per record sent, with its operation
/// (<c>add</c>, <c>remove</c>, <c>upsert</c>, <c>delete</c>, ...), its key, its fields and its identifiers. The file is
/// written under a temporary name in the target folder and renamed into place when the run completes, so a reader
/// never sees a partial file; a run that stops early publishes nothing (its records are sent again next run). A run
/// with no changes writes no file. See docs/destinations.md.
/// </summary>
public sealed class FileDestination : IDestination
{
    public const string TypeName = "file";

    private static readonly ImmutableArray<BatchOperation> AllOperations =
        [BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert, BatchOperation.Update, BatchOperation.Insert, BatchOperation.Delete, BatchOperation.Archive];

    private readonly string _finalPath;
    private readonly string _tempPath;
    private readonly DestinationContext _context;
    private readonly FileFormat _format;
    private RecordFileWriter? _writer;
    private long _records;
    private bool _completed;

    private FileDestination(string finalPath, FileFormat format, int batchSize, DestinationContext context)
    {
        _finalPath = finalPath;
        _format = format;
        _context = context;
        var folder = Path.GetDirectoryName(finalPath)!;
        _tempPath = Path.Combine(folder, $".{Path.GetFileName(finalPath)}.{Guid.NewGuid():N}.tmp");
        Descriptor = new DestinationDescriptor(TypeName, AllOperations, batchSize, Identifiers: [.. Enum.GetValues<IdentifierType>()])
        {
            CommitOnComplete = true,
        };
    }

    public DestinationDescriptor Descriptor { get; }

    /// <summary>The path the file is published at when the run completes.</summary>
    public string FinalPath => _finalPath;

    public static DestinationType Type { get; } = new(
        TypeName,
        "A CSV, JSON Lines or Parquet file per run, with the run's changes, published atomically.",
        [
            SettingSpec.Text("path", "the folder the files are written to (relative to the project folder, or absolute; created when missing)", required: true),
            SettingSpec.Choice("format", "the file format", ["csv", "jsonl", "parquet"], "csv"),
            SettingSpec.Text("file_name", "the file name; {sync}, {run}, {timestamp} and {ext} are replaced", @default: "{sync}_{run}.{ext}"),
            SettingSpec.Integer("batch_size", "records per batch (and per Parquet row group)", 1, 1_000_000, 10_000),
        ],
        AllOperations,
        (settings, context, _) => ValueTask.FromResult<IDestination>(Create(settings, context)))
    {
        AcceptsAnyIdentifier = true,
        Validate = ValidateFileName,
    };

    private static void ValidateFileName(DestinationDefinition definition, DiagnosticBag diagnostics)
    {
        if (definition.Find("file_name") is { Value: SettingValue.Literal literal } setting
            && (literal.Text.Contains('/', StringComparison.Ordinal) || literal.Text.Contains('\\', StringComparison.Ordinal) || literal.Text.Trim().Length == 0))
            diagnostics.Error(DiagnosticCodes.InvalidSetting, $"'file_name' is a file name without folders; put the folder in 'path', found '{literal.Text}'.",
                literal.Location ?? setting.Location);
    }

    /// <summary>Creates the destination; a relative path is resolved against the context's <see cref="DestinationContext.BaseDirectory"/>.</summary>
    public static FileDestination Create(DestinationSettings settings, DestinationContext context)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        var folder = Path.GetFullPath(settings.RequiredText("path"), context.BaseDirectory ?? Directory.GetCurrentDirectory());
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DestinationException(DestinationMessages.FileFolderMissing(settings.Destination, folder), DestinationErrorClass.AuthOrConfig, innerException: e);
        }
        var format = (settings.Text("format") ?? "csv") switch
        {
            "jsonl" => FileFormat.JsonLines,
            "parquet" => FileFormat.Parquet,
            _ => FileFormat.Csv,
        };
        var name = (settings.Text("file_name") ?? "{sync}_{run}.{ext}")
            .Replace("{sync}", context.SyncName, StringComparison.Ordinal)
            .Replace("{run}", context.RunId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{timestamp}", context.Time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{ext}", Extension(format), StringComparison.Ordinal);
        RecordColumns.For(context); // fails now, not at the first batch, when a field collides with a system column
        return new FileDestination(Path.Combine(folder, name), format, settings.Integer("batch_size", 10_000), context);
    }

    public static string Extension(FileFormat format) => format switch
    {
        FileFormat.JsonLines => "jsonl",
        FileFormat.Parquet => "parquet",
        _ => "csv",
    };

    public async Task<BatchResult> SendAsync(DestinationBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            _writer ??= await RecordFileWriter.OpenAsync(_format, _tempPath, RecordColumns.For(_context), cancellationToken).ConfigureAwait(false);
            await _writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DestinationException(DestinationMessages.FileWriteFailed(_context.DestinationName, e.Message), DestinationErrorClass.Transient, innerException: e);
        }
        _records += batch.Records.Length;
        return BatchResult.AllSucceeded(batch);
    }

    /// <summary>Finishes the temporary file, flushes it to disk and renames it into place (no file when nothing was written).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_writer is null) return;
        try
        {
            await _writer.FinishAsync(cancellationToken).ConfigureAwait(false);
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
            File.Move(_tempPath, _finalPath, overwrite: true);
            _completed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DestinationException(DestinationMessages.FileWriteFailed(_context.DestinationName, e.Message), DestinationErrorClass.Transient, innerException: e);
        }
    }

    /// <summary>Records written to the file so far.</summary>
    public long Records => _records;

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }
        if (!_completed)
        {
            try
            {
                File.Delete(_tempPath);
            }
            catch (IOException)
            {
                // A leftover temporary file is harmless: its name starts with a dot and ends in .tmp.
            }
        }
    }
}
