using System.Data.Common;

namespace Cohort.Server.Store;

/// <summary>The kinds of versioned definition the store keeps.</summary>
public static class DocumentKinds
{
    public const string Schema = "schema";
    public const string Audience = "audience";
    public const string Destination = "destination";
    public const string Sync = "sync";

    /// <summary>The schema is one document with this name.</summary>
    public const string SchemaName = "schema";
}

/// <summary>The current state of a definition.</summary>
public sealed record StoredDocument(
    string Kind, string Name, int Version, bool Deleted, string Format, string Content,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>One saved version: who, when, what changed (a line diff against the version before).</summary>
public sealed record DocumentVersion(
    string Kind, string Name, int Version, bool Deleted, string Format, string Content,
    string Author, DateTimeOffset CreatedAt, string Diff, string? Comment);

/// <summary>What a save did.</summary>
public enum SaveOutcome
{
    Created,
    Updated,
    Unchanged,
    Deleted,
}

public sealed record SaveResult(SaveOutcome Outcome, StoredDocument? Document, DocumentVersion? Version, string? PreviousContent);

/// <summary>
/// Versioned definitions. Every change is a new version (with author, time and a line diff); deleting writes a
/// tombstone version; restoring copies an old version's content into a new version. Nothing is overwritten.
/// </summary>
public sealed class DocumentStore(MetadataStore store, TimeProvider clock)
{
    private const string Columns = "kind, name, version, deleted, format, content, created_at, created_by, updated_at, updated_by";
    private const string VersionColumns = "kind, name, version, deleted, format, content, author, created_at, diff, comment";

    /// <summary>Raised after any change is committed, with the kind that changed.</summary>
    public event Action<string>? Changed;

    public async Task<StoredDocument?> GetAsync(string kind, string name, CancellationToken ct = default) =>
        (await store.QueryAsync($"SELECT {Columns} FROM documents WHERE kind = @kind AND name = @name", ReadDocument, ct,
            ("@kind", kind), ("@name", name)).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>Live (not deleted) documents of a kind, by name.</summary>
    public async Task<List<StoredDocument>> ListAsync(string kind, CancellationToken ct = default) =>
        await store.QueryAsync($"SELECT {Columns} FROM documents WHERE kind = @kind AND deleted = 0 ORDER BY name", ReadDocument, ct,
            ("@kind", kind)).ConfigureAwait(false);

    public async Task<List<DocumentVersion>> VersionsAsync(string kind, string name, CancellationToken ct = default) =>
        await store.QueryAsync($"SELECT {VersionColumns} FROM document_versions WHERE kind = @kind AND name = @name ORDER BY version DESC",
            ReadVersion, ct, ("@kind", kind), ("@name", name)).ConfigureAwait(false);

    public async Task<DocumentVersion?> VersionAsync(string kind, string name, int version, CancellationToken ct = default) =>
        (await store.QueryAsync($"SELECT {VersionColumns} FROM document_versions WHERE kind = @kind AND name = @name AND version = @version",
            ReadVersion, ct, ("@kind", kind), ("@name", name), ("@version", version)).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>
    /// Saves new content as a new version, unless it equals the current content (then nothing is written).
    /// With <paramref name="expectedVersion"/>, fails with <see cref="VersionConflictException"/> when someone saved in between.
    /// </summary>
    public async Task<SaveResult> SaveAsync(string kind, string name, string format, string content, string author,
        int? expectedVersion = null, string? comment = null, CancellationToken ct = default)
    {
        var result = await store.InTransactionAsync(async (connection, tx) =>
        {
            var current = await CurrentAsync(connection, tx, kind, name, ct).ConfigureAwait(false);
            if (expectedVersion is { } expected && (current?.Version ?? 0) != expected)
                throw new VersionConflictException(kind, name, expected, current?.Version ?? 0);
            if (current is { Deleted: false } && current.Content == content && current.Format == format)
                return new SaveResult(SaveOutcome.Unchanged, current, null, current.Content);
            var previous = current is { Deleted: false } ? current.Content : null;
            var version = await WriteVersionAsync(connection, tx, current, kind, name, format, content, deleted: false, author, comment, previous, ct).ConfigureAwait(false);
            return new SaveResult(current is null || current.Deleted ? SaveOutcome.Created : SaveOutcome.Updated,
                await CurrentAsync(connection, tx, kind, name, ct).ConfigureAwait(false), version, previous);
        }, ct).ConfigureAwait(false);
        if (result.Outcome != SaveOutcome.Unchanged) Changed?.Invoke(kind);
        return result;
    }

    /// <summary>Writes a tombstone version. Returns null when there is no live document of that name.</summary>
    public async Task<SaveResult?> DeleteAsync(string kind, string name, string author, CancellationToken ct = default)
    {
        var result = await store.InTransactionAsync(async (connection, tx) =>
        {
            var current = await CurrentAsync(connection, tx, kind, name, ct).ConfigureAwait(false);
            if (current is null || current.Deleted) return null;
            var version = await WriteVersionAsync(connection, tx, current, kind, name, current.Format, current.Content, deleted: true, author, "deleted", current.Content, ct).ConfigureAwait(false);
            return new SaveResult(SaveOutcome.Deleted, await CurrentAsync(connection, tx, kind, name, ct).ConfigureAwait(false), version, current.Content);
        }, ct).ConfigureAwait(false);
        if (result is not null) Changed?.Invoke(kind);
        return result;
    }

    private static async Task<StoredDocument?> CurrentAsync(DbConnection connection, DbTransaction tx, string kind, string name, CancellationToken ct) =>
        (await MetadataStore.QueryAsync(connection, tx, $"SELECT {Columns} FROM documents WHERE kind = @kind AND name = @name", ReadDocument, ct,
            ("@kind", kind), ("@name", name)).ConfigureAwait(false)).FirstOrDefault();

    private async Task<DocumentVersion> WriteVersionAsync(DbConnection connection, DbTransaction tx, StoredDocument? current,
        string kind, string name, string format, string content, bool deleted, string author, string? comment, string? previous, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var number = (current?.Version ?? 0) + 1;
        var diff = LineDiff.Unified(previous, deleted ? null : content);
        await MetadataStore.ExecuteAsync(connection, tx, """
            INSERT INTO document_versions (kind, name, version, deleted, format, content, author, created_at, diff, comment)
            VALUES (@kind, @name, @version, @deleted, @format, @content, @author, @at, @diff, @comment)
            """, ct, ("@kind", kind), ("@name", name), ("@version", number), ("@deleted", deleted ? 1 : 0), ("@format", format),
            ("@content", content), ("@author", author), ("@at", now), ("@diff", diff), ("@comment", comment)).ConfigureAwait(false);
        if (current is null)
            await MetadataStore.ExecuteAsync(connection, tx, $"""
                INSERT INTO documents ({Columns}) VALUES (@kind, @name, @version, @deleted, @format, @content, @at, @author, @at, @author)
                """, ct, ("@kind", kind), ("@name", name), ("@version", number), ("@deleted", deleted ? 1 : 0), ("@format", format),
                ("@content", content), ("@at", now), ("@author", author)).ConfigureAwait(false);
        else
            await MetadataStore.ExecuteAsync(connection, tx, """
                UPDATE documents SET version = @version, deleted = @deleted, format = @format, content = @content, updated_at = @at, updated_by = @author
                WHERE kind = @kind AND name = @name AND version = @previous
                """, ct, ("@kind", kind), ("@name", name), ("@version", number), ("@deleted", deleted ? 1 : 0), ("@format", format),
                ("@content", content), ("@at", now), ("@author", author), ("@previous", current.Version)).ConfigureAwait(false);
        return new DocumentVersion(kind, name, number, deleted, format, content, author, DateTimeOffset.FromUnixTimeMilliseconds(now), diff, comment);
    }

    private static StoredDocument ReadDocument(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), (int)MetadataStore.Long(r, 2)!.Value, MetadataStore.Long(r, 3) == 1, r.GetString(4), r.GetString(5),
        DateTimeOffset.FromUnixTimeMilliseconds(MetadataStore.Long(r, 6)!.Value), r.GetString(7),
        DateTimeOffset.FromUnixTimeMilliseconds(MetadataStore.Long(r, 8)!.Value), r.GetString(9));

    private static DocumentVersion ReadVersion(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), (int)MetadataStore.Long(r, 2)!.Value, MetadataStore.Long(r, 3) == 1, r.GetString(4), r.GetString(5),
        r.GetString(6), DateTimeOffset.FromUnixTimeMilliseconds(MetadataStore.Long(r, 7)!.Value), r.GetString(8), MetadataStore.Text(r, 9));
}

/// <summary>Someone else saved the document since the version the caller edited.</summary>
public sealed class VersionConflictException(string kind, string name, int expected, int actual)
    : Exception($"The {kind} '{name}' is at version {actual}, not {expected}: someone saved it in the meantime.")
{
    public int Expected { get; } = expected;

    public int Actual { get; } = actual;
}
