namespace Cohort.Destinations.Configuration;

/// <summary>
/// Where <c>{secret: NAME}</c> settings come from: the server's encrypted secret store. The CLI has none; there,
/// secrets come from environment variables (<c>{env: NAME}</c>).
/// </summary>
public interface ISecretStore
{
    /// <summary>The secret's value, or null when the store holds no secret of that name.</summary>
    ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Resolves setting references: environment variables through a function (normally the process environment), secrets through a store.</summary>
public sealed class SecretResolver(Func<string, string?>? environment = null, ISecretStore? store = null)
{
    private readonly Func<string, string?> _environment = environment ?? System.Environment.GetEnvironmentVariable;

    /// <summary>The process environment and no secret store.</summary>
    public static SecretResolver Default { get; } = new();

    public string? Environment(string variable) => _environment(variable);

    public ValueTask<string?> SecretAsync(string name, CancellationToken cancellationToken) =>
        store is null ? ValueTask.FromResult<string?>(null) : store.GetAsync(name, cancellationToken);

    public bool HasStore => store is not null;
}
