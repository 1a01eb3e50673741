using System.Collections.Immutable;
using System.Globalization;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;

namespace Cohort.Destinations.Configuration;

/// <summary>
/// A destination's settings with every reference resolved (environment variables, secrets), as a connector reads
/// them when it is created. The definition has been validated against the type's <see cref="SettingSpec"/>s, so a
/// wrong shape here is a programming error; a missing environment variable or secret is a
/// <see cref="DestinationErrorClass.AuthOrConfig"/> failure that names the variable, never its value.
/// </summary>
public sealed class DestinationSettings
{
    private readonly ImmutableDictionary<string, object> _values;

    private DestinationSettings(string destination, ImmutableDictionary<string, object> values)
    {
        Destination = destination;
        _values = values;
    }

    public string Destination { get; }

    /// <summary>Settings given in code (tests, servers building a destination without a file).</summary>
    public static DestinationSettings Of(string destination, IReadOnlyDictionary<string, object> values) =>
        new(destination, values.ToImmutableDictionary(StringComparer.Ordinal));

    public static async ValueTask<DestinationSettings> ResolveAsync(DestinationDefinition definition, SecretResolver secrets, CancellationToken cancellationToken)
    {
        var values = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        foreach (var setting in definition.Settings)
            values[setting.Key] = await ResolveAsync(definition.Name, setting.Key, setting.Value, secrets, cancellationToken).ConfigureAwait(false);
        return new DestinationSettings(definition.Name, values.ToImmutable());
    }

    private static async ValueTask<object> ResolveAsync(string destination, string key, SettingValue value, SecretResolver secrets, CancellationToken cancellationToken)
    {
        switch (value)
        {
            case SettingValue.Literal literal:
                return literal.Text;
            case SettingValue.Environment env:
                return secrets.Environment(env.Variable) is { Length: > 0 } text
                    ? text
                    : throw new DestinationException(DestinationMessages.EnvironmentNotSet(destination, key, env.Variable), DestinationErrorClass.AuthOrConfig);
            case SettingValue.Secret secret:
                return await secrets.SecretAsync(secret.Name, cancellationToken).ConfigureAwait(false) is { Length: > 0 } stored
                    ? stored
                    : throw new DestinationException(DestinationMessages.SecretNotFound(destination, key, secret.Name, secrets.HasStore), DestinationErrorClass.AuthOrConfig);
            case SettingValue.Map map:
                var entries = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
                foreach (var entry in map.Entries)
                    entries[entry.Key] = await ResolveAsync(destination, $"{key}.{entry.Key}", entry.Value, secrets, cancellationToken).ConfigureAwait(false);
                return entries.ToImmutable();
            case SettingValue.List list:
                var items = ImmutableArray.CreateBuilder<object>();
                foreach (var item in list.Items)
                    items.Add(await ResolveAsync(destination, key, item, secrets, cancellationToken).ConfigureAwait(false));
                return items.ToImmutable();
            default:
                throw new InvalidOperationException($"Unknown setting value {value.GetType().Name}.");
        }
    }

    public bool Has(string key) => _values.ContainsKey(key);

    public string? Text(string key) => _values.TryGetValue(key, out var value) ? value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    public string RequiredText(string key) =>
        Text(key) ?? throw new DestinationException(DestinationMessages.MissingSetting(Destination, key), DestinationErrorClass.AuthOrConfig);

    public int Integer(string key, int fallback) =>
        Text(key) is { } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public double? Number(string key) =>
        Text(key) is { } text ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    public bool Boolean(string key, bool fallback) =>
        Text(key) is { } text ? text.ToLowerInvariant() is "true" or "yes" or "on" : fallback;

    /// <summary>A mapping of text values (e.g. headers); empty when not set.</summary>
    public IReadOnlyDictionary<string, string> Map(string key) =>
        _values.TryGetValue(key, out var value) && value is IReadOnlyDictionary<string, object> map
            ? map.ToDictionary(e => e.Key, e => Convert.ToString(e.Value, CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>();
}
