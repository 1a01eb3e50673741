using System.Collections.Concurrent;
using System.Globalization;
using Cohort.Core.Diagnostics;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Configuration;

namespace Cohort.Destinations.Catalog;

/// <summary>
/// Maps destination definitions to connectors. Each destination type registers once (name, settings, operations,
/// factory); the catalog validates definitions against the type before anything runs and creates a connector per run.
/// <see cref="CreateDefault"/> registers the built-in webhook, file and PostgreSQL destinations and the platform
/// connectors; hosts add their own types with <see cref="Register"/>.
/// </summary>
public sealed class DestinationCatalog
{
    private readonly ConcurrentDictionary<string, DestinationType> _types = new(StringComparer.Ordinal);

    /// <summary>A catalog with the built-in destinations (webhook, file, postgres) and every platform connector (<see cref="Platforms.PlatformTypes"/>).</summary>
    public static DestinationCatalog CreateDefault(DestinationServices? services = null)
    {
        services ??= new DestinationServices();
        var catalog = new DestinationCatalog();
        catalog.Register(Webhook.WebhookDestination.Type(services));
        catalog.Register(Files.FileDestination.Type);
        catalog.Register(Postgres.PostgresTableDestination.Type);
        foreach (var platform in Platforms.PlatformTypes.All(services)) catalog.Register(platform);
        return catalog;
    }

    public IEnumerable<DestinationType> Types => _types.Values.OrderBy(t => t.Name, StringComparer.Ordinal);

    /// <summary>Adds a destination type; a second type with the same name is a programming error.</summary>
    public DestinationCatalog Register(DestinationType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!_types.TryAdd(type.Name, type))
            throw new InvalidOperationException($"A destination type named '{type.Name}' is already registered.");
        return this;
    }

    public DestinationType? Find(string name) => _types.GetValueOrDefault(name);

    /// <summary>Checks a definition against its type: known type, known and required settings, value shapes, secrets only as references.</summary>
    public void Validate(DestinationDefinition definition, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (Find(definition.Type) is not { } type)
        {
            diagnostics.Error(DiagnosticCodes.UnknownDestinationType, DestinationMessages.UnknownType(definition.Type, _types.Keys),
                TypeLocation(definition), NameSuggester.Nearest(definition.Type, _types.Keys));
            return;
        }
        var specs = type.Settings.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var setting in definition.Settings)
        {
            if (!specs.TryGetValue(setting.Key, out var spec))
            {
                diagnostics.Error(DiagnosticCodes.UnknownKey, DestinationMessages.UnknownSetting(setting.Key, type.Name), setting.Location,
                    NameSuggester.Nearest(setting.Key, specs.Keys));
                continue;
            }
            CheckValue(definition, setting, spec, diagnostics);
        }
        foreach (var spec in type.Settings.Where(s => s.Required && definition.Find(s.Name) is null))
            diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.MissingSetting(definition.Name, spec.Name, spec.Description), definition.Location?.WithPath("settings"));
        type.Validate?.Invoke(definition, diagnostics);
    }

    private static void CheckValue(DestinationDefinition definition, DestinationSetting setting, SettingSpec spec, DiagnosticBag diagnostics)
    {
        var at = setting.Value.Location ?? setting.Location;
        if (spec.Kind == SettingKind.Secret)
        {
            // A literal under a secret-sounding name was already reported when the file was read (COH503).
            if (!setting.Value.IsReference && !DestinationReader.LooksLikeSecretKey(setting.Key))
                diagnostics.Error(DiagnosticCodes.LiteralSecret, DestinationMessages.SecretMustBeReference(setting.Key), at, ["{env: NAME}", "{secret: NAME}"]);
            return;
        }
        if (setting.Value.IsReference) return; // resolved when opened; its text is checked by the connector
        switch (spec.Kind)
        {
            case SettingKind.Map:
                if (setting.Value is not SettingValue.Map map)
                    diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.ExpectedMap(setting.Key), at);
                else
                {
                    foreach (var entry in map.Entries.Where(e => e.Value is SettingValue.Map or SettingValue.List))
                        diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.ExpectedText($"{setting.Key}.{entry.Key}"), entry.Value.Location ?? entry.Location);
                }
                return;
            case SettingKind.Text when setting.Value is SettingValue.Literal:
                return;
            case SettingKind.Integer when setting.Value is SettingValue.Literal literal:
                if (!long.TryParse(literal.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                    diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.ExpectedInteger(setting.Key, literal.Text), at);
                else if (number < (spec.Minimum ?? long.MinValue) || number > (spec.Maximum ?? long.MaxValue))
                    diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.OutOfRange(setting.Key, number, spec.Minimum, spec.Maximum), at);
                return;
            case SettingKind.Number when setting.Value is SettingValue.Literal literal:
                if (!double.TryParse(literal.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) || real <= 0 || double.IsInfinity(real))
                    diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.ExpectedPositiveNumber(setting.Key, literal.Text), at);
                return;
            case SettingKind.Boolean when setting.Value is SettingValue.Literal literal:
                if (literal.Text.ToLowerInvariant() is not ("true" or "false" or "yes" or "no" or "on" or "off"))
                    diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.ExpectedBoolean(setting.Key, literal.Text), at);
                return;
            case SettingKind.Choice when setting.Value is SettingValue.Literal literal:
                if (!spec.Choices.Contains(literal.Text))
                    diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.ExpectedChoice(setting.Key, literal.Text, spec.Choices), at,
                        NameSuggester.Nearest(literal.Text, spec.Choices));
                return;
            default:
                diagnostics.Error(DiagnosticCodes.InvalidSetting, DestinationMessages.ExpectedText(setting.Key), at);
                return;
        }
    }

    private static SourceLocation? TypeLocation(DestinationDefinition definition) => definition.Location?.WithPath("type");

    /// <summary>Resolves the definition's references and creates the connector for one run.</summary>
    public async ValueTask<IDestination> CreateAsync(
        DestinationDefinition definition, DestinationContext context, SecretResolver secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var type = Find(definition.Type)
            ?? throw new DestinationException(DestinationMessages.UnknownType(definition.Type, _types.Keys), DestinationErrorClass.AuthOrConfig);
        var settings = await DestinationSettings.ResolveAsync(definition, secrets, cancellationToken).ConfigureAwait(false);
        return await type.Create(settings, context, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Shared services for the built-in connectors (an HTTP handler for webhooks, so tests and servers can supply their own).</summary>
public sealed class DestinationServices
{
    private readonly Lazy<HttpMessageHandler> _handler;

    public DestinationServices(Func<HttpMessageHandler>? handler = null) =>
        _handler = new Lazy<HttpMessageHandler>(handler ?? (() => new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 16,
        }));

    /// <summary>One handler (and so one connection pool) shared by every webhook of the catalog; never disposed by a run.</summary>
    public HttpMessageHandler HttpHandler => _handler.Value;
}
