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
