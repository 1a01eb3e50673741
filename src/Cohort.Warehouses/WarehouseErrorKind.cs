namespace Cohort.Warehouses;

/// <summary>An engine-neutral classification of a warehouse failure, for callers that must react to it.</summary>
public enum WarehouseErrorKind
{
    /// <summary>Anything not classified below.</summary>
    Other,

    /// <summary>The statement is not valid SQL for the engine, or refers to things in a way it cannot bind (types, arity).</summary>
    InvalidStatement,

    /// <summary>A table, view, column, schema or function the statement names does not exist.</summary>
    UndefinedObject,

    /// <summary>A value could not be converted, parsed or computed (bad cast, overflow, division by zero).</summary>
    InvalidData,

    /// <summary>A constraint (primary key, unique, not null, check, foreign key) rejected a row.</summary>
    Constraint,

    /// <summary>The warehouse refused access.</summary>
    Permission,

    /// <summary>A concurrent transaction conflicted (serialization failure, deadlock, write-write conflict).</summary>
    Conflict,

    /// <summary>The statement ran longer than its timeout, or was cancelled by the server.</summary>
    Timeout,

    /// <summary>The warehouse could not be reached, or the connection broke.</summary>
    Connection,

    /// <summary>The warehouse ran out of memory, disk or another resource.</summary>
    Resource,
}
