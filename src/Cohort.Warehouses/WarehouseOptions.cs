namespace Cohort.Warehouses;

public enum WarehouseType
{
    DuckDb,
    Postgres,
}

/// <summary>
/// How to open a warehouse. Deliberately flat so a project file's source section maps onto it directly;
/// <see cref="Validate"/> rejects settings that do not apply to the chosen type.
/// </summary>
public sealed record WarehouseOptions
{
    public required WarehouseType Type { get; init; }

    /// <summary>DuckDB: a database file (created if missing) or <c>:memory:</c>.</summary>
    public string? Path { get; init; }

    /// <summary>PostgreSQL: an Npgsql connection string. Its TimeZone is always overridden to UTC.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The schema unqualified names resolve to (search_path). DuckDB: the schema must exist.</summary>
    public string? Schema { get; init; }

    /// <summary>DuckDB: worker threads (default: one per core).</summary>
    public int? Threads { get; init; }

    /// <summary>PostgreSQL: the server cancels a statement running longer than this (statement_timeout).</summary>
    public TimeSpan? StatementTimeout { get; init; }

    /// <summary>Put the warehouse's full error text, which can contain row values, into exception messages.</summary>
    public bool IncludeErrorDetail { get; init; }

    public static WarehouseOptions DuckDb(string path = ":memory:", int? threads = null) =>
        new() { Type = WarehouseType.DuckDb, Path = path, Threads = threads };

    public static WarehouseOptions Postgres(string connectionString, string? schema = null) =>
        new() { Type = WarehouseType.Postgres, ConnectionString = connectionString, Schema = schema };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is missing or does not apply.</summary>
    public void Validate()
    {
        switch (Type)
        {
            case WarehouseType.DuckDb:
                Require(Path, nameof(Path));
                NotApplicable(ConnectionString is not null, nameof(ConnectionString));
                NotApplicable(StatementTimeout is not null, nameof(StatementTimeout));
                if (Threads is <= 0)
                    throw new ArgumentException(WarehouseMessages.OptionPositive(nameof(Threads)), nameof(Threads));
                break;
            case WarehouseType.Postgres:
                Require(ConnectionString, nameof(ConnectionString));
                NotApplicable(Path is not null, nameof(Path));
                NotApplicable(Threads is not null, nameof(Threads));
                if (StatementTimeout is { } timeout && timeout <= TimeSpan.Zero)
                    throw new ArgumentException(WarehouseMessages.OptionPositive(nameof(StatementTimeout)), nameof(StatementTimeout));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Type), Type, null);
        }

        if (Schema is not null && string.IsNullOrWhiteSpace(Schema))
            throw new ArgumentException(WarehouseMessages.OptionRequired(nameof(Schema), Type), nameof(Schema));
    }

    private void Require(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException(WarehouseMessages.OptionRequired(option, Type), option);
    }

    private void NotApplicable(bool isSet, string option)
    {
        if (isSet)
            throw new ArgumentException(WarehouseMessages.OptionNotApplicable(option, Type), option);
    }
}
