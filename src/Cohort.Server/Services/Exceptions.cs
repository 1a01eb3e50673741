namespace Cohort.Server.Services;

/// <summary>The named thing does not exist (the API answers 404).</summary>
public sealed class NotFoundException(string kind, string name) : Exception($"There is no {kind} named '{name}'.")
{
    public string Kind { get; } = kind;

    public string Name { get; } = name;
}

/// <summary>A request that is well-formed but cannot be done (the API answers 400 with this message).</summary>
public sealed class RequestException(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
}

/// <summary>The request conflicts with what is happening now, e.g. the sync is running (the API answers 409).</summary>
public sealed class ConflictException(string detail) : Exception(detail);

/// <summary>The server runs without the part this request needs (the API answers 501).</summary>
public sealed class FeatureNotAvailableException(string detail) : Exception(detail);
