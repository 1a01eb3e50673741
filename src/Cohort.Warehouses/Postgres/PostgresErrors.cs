using Cohort.Sql;
using Npgsql;

namespace Cohort.Warehouses.Postgres;

/// <summary>Classifies PostgreSQL errors by SQLSTATE; transience is Npgsql's judgement.</summary>
internal static class PostgresErrors
{
    public static WarehouseException Translate(PostgresException exception, PostgresWarehouse owner)
    {
        // Detail is where PostgreSQL puts key values; Npgsql fills it only when IncludeErrorDetail is on.
        var message = owner.ShowsErrorDetail && exception.Detail is { Length: > 0 } detail
            ? $"{exception.MessageText} ({detail})"
            : exception.MessageText;
        return owner.EngineErrorFor(KindOf(exception.SqlState), exception.SqlState, message, exception.IsTransient, exception);
    }

    /// <summary>A failure before the server answered: network, authentication handshake, timeouts.</summary>
    public static WarehouseException TranslateDriver(NpgsqlException exception)
    {
        var kind = exception.InnerException is TimeoutException ? WarehouseErrorKind.Timeout : WarehouseErrorKind.Connection;
        var message = WarehouseMessages.Failed(SqlDialectName.Postgres, null, exception.Message);
        return new WarehouseException(message, SqlDialectName.Postgres, kind, null, exception.IsTransient, exception);
    }

    internal static WarehouseErrorKind KindOf(string sqlState) => sqlState switch
    {
        "42501" => WarehouseErrorKind.Permission,
        "42P01" or "42703" or "42883" or "42704" or "42P02" => WarehouseErrorKind.UndefinedObject,
        "57014" => WarehouseErrorKind.Timeout,
        _ => sqlState[..2] switch
        {
            "42" or "0A" => WarehouseErrorKind.InvalidStatement,
            "3D" or "3F" => WarehouseErrorKind.UndefinedObject,
            "22" => WarehouseErrorKind.InvalidData,
            "23" => WarehouseErrorKind.Constraint,
            "28" => WarehouseErrorKind.Permission,
            "40" => WarehouseErrorKind.Conflict,
            "08" or "57" => WarehouseErrorKind.Connection,
            "53" or "54" => WarehouseErrorKind.Resource,
            _ => WarehouseErrorKind.Other,
        },
    };
}
