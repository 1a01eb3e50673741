namespace Cohort.Core.Audiences;

/// <summary>The audiences that membership conditions and exclusions may refer to, by name (the first of a name wins).</summary>
internal sealed class AudienceCatalog
{
    private readonly Dictionary<string, AudienceDefinition> _byName = new(StringComparer.Ordinal);

    public AudienceCatalog(IEnumerable<AudienceDefinition> audiences)
    {
        foreach (var audience in audiences) _byName.TryAdd(audience.Name, audience);
    }

    public IEnumerable<string> Names => _byName.Keys.Order(StringComparer.Ordinal);

    public AudienceDefinition? Find(string name) => _byName.GetValueOrDefault(name);
}
