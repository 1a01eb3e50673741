using System.Text;
using Cohort.Core.Diagnostics;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Configuration;
using Cohort.Destinations.Identifiers;
using Cohort.Destinations.Platforms;

namespace Cohort.Destinations.Tests.Catalog;

/// <summary>
/// Every registered destination type's settings validate: a definition with every required setting (secrets as
/// references) is clean; dropping a required setting, writing a secret in plain text or misspelling a setting name is a
/// diagnostic that names the setting (and suggests the nearest valid name).
/// </summary>
public sealed class CatalogSettingsTests
{
    private static readonly DestinationCatalog Catalog = DestinationCatalog.CreateDefault();

    public static TheoryData<string> Types => [.. Catalog.Types.Select(t => t.Name)];

    public static TheoryData<string> TypesWithSecrets => [.. Catalog.Types.Where(t => t.Settings.Any(s => s.Kind == SettingKind.Secret)).Select(t => t.Name)];

    public static TheoryData<string> PlatformTypeNames => [.. PlatformTypes.All(new DestinationServices()).Select(t => t.Name)];

    private static DestinationType Type(string name) => Catalog.Find(name)!;

    /// <summary>A plausible literal for a setting, valid for its spec.</summary>
    private static string Sample(SettingSpec spec) => spec.Kind switch
    {
        SettingKind.Secret => "{env: SOME_SECRET}",
        SettingKind.Choice => spec.Choices[0],
        SettingKind.Integer => (spec.Minimum ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        SettingKind.Number => "1.5",
        SettingKind.Boolean => "true",
        SettingKind.Map => "{a: b}",
        _ when spec.Name == "identify_by" => "email, external_id",
        _ when spec.Name.EndsWith("url", StringComparison.Ordinal) => "https://api.example.com/",
        _ => "\"abc123\"",
    };

    private static (DestinationDefinition? Definition, List<Diagnostic> Diagnostics) Read(string type, IEnumerable<(string Key, string Value)> settings)
    {
        var yaml = new StringBuilder($"type: {type}\n");
        if (settings.Any()) yaml.Append("settings:\n");
        foreach (var (key, value) in settings) yaml.Append("  ").Append(key).Append(": ").Append(value).Append('\n');
        var diagnostics = new DiagnosticBag();
        var definition = DestinationReader.ReadText(yaml.ToString(), "destinations/subject.yaml", diagnostics);
        if (definition is not null) Catalog.Validate(definition, diagnostics);
        return (definition, [.. diagnostics.Items.Where(d => d.IsError)]);
    }

    private static IEnumerable<(string, string)> Required(DestinationType type) =>
        type.Settings.Where(s => s.Required).Select(s => (s.Name, Sample(s)));

    [Fact]
    public void Every_platform_connector_is_registered()
    {
        string[] expected =
        [
            "braze", "google-ads-customer-match", "google-data-manager", "hubspot", "iterable", "klaviyo", "linkedin-matched-audience",
            "mailchimp", "meta-custom-audience", "salesforce", "the-trade-desk", "tiktok-audience",
        ];
        Assert.All(expected, name => Assert.NotNull(Catalog.Find(name)));
        Assert.Equal(expected, PlatformTypes.All(new DestinationServices()).Select(t => t.Name).Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_definition_with_the_required_settings_is_clean(string name)
    {
        var (definition, errors) = Read(name, Required(Type(name)));
        Assert.NotNull(definition);
        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_setting_given_a_valid_value_is_accepted(string name)
    {
        var (_, errors) = Read(name, Type(name).Settings.Select(s => (s.Name, Sample(s))));
        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_missing_required_setting_is_a_diagnostic_naming_it(string name)
    {
        var type = Type(name);
        foreach (var missing in type.Settings.Where(s => s.Required))
        {
            var (_, errors) = Read(name, Required(type).Where(s => s.Item1 != missing.Name));
            var error = Assert.Single(errors);
            Assert.Equal(DiagnosticCodes.InvalidSetting, error.Code);
            Assert.Contains($"'{missing.Name}'", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TypesWithSecrets))]
    public void A_secret_written_in_plain_text_is_a_diagnostic(string name)
    {
        var type = Type(name);
        var secrets = type.Settings.Where(s => s.Kind == SettingKind.Secret).ToList();
        foreach (var secret in secrets)
        {
            var (_, errors) = Read(name, Required(type).Where(s => s.Item1 != secret.Name).Append((secret.Name, "\"plain-text-value\"")));
            var error = Assert.Single(errors);
            Assert.Equal(DiagnosticCodes.LiteralSecret, error.Code);
            Assert.Contains(secret.Name, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("plain-text-value", error.Message, StringComparison.Ordinal);
            Assert.Contains("{env: NAME}", error.Suggestions);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_misspelt_setting_suggests_the_nearest_valid_name(string name)
    {
        var type = Type(name);
        var target = type.Settings.First(s => s.Name.Length > 4);
        var typo = target.Name[..^2] + target.Name[^1]; // one letter dropped
        var (_, errors) = Read(name, Required(type).Where(s => s.Item1 != target.Name).Append((typo, Sample(target))));
        var unknown = Assert.Single(errors, e => e.Code == DiagnosticCodes.UnknownKey);
        Assert.Contains($"'{typo}'", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(target.Name, unknown.Suggestions.FirstOrDefault());
    }

    [Theory]
    [MemberData(nameof(PlatformTypeNames))]
    public void Platform_types_take_a_base_url_or_instance_url_and_refuse_one_that_is_not_http(string name)
    {
        var type = Type(name);
        var url = type.Settings.Single(s => s.Name is "base_url" or "instance_url");
        var (_, errors) = Read(name, Required(type).Where(s => s.Item1 != url.Name).Append((url.Name, "ftp://example.com")));
        var error = Assert.Single(errors);
        Assert.Equal(DiagnosticCodes.InvalidSetting, error.Code);
    }

    [Theory]
    [MemberData(nameof(PlatformTypeNames))]
    public void Platform_types_declare_limits_identifiers_and_a_profile(string name)
    {
        var type = Type(name);
        Assert.Contains(type.Settings, s => s.Name == "batch_size" || s.Name == "max_identifiers_per_request");
        Assert.All(type.Settings.Where(s => s.Kind == SettingKind.Secret), s => Assert.True(s.Required));
        var (definition, _) = Read(name, Required(type));
        Assert.NotEmpty(type.OperationsOf(definition!));
        if (name != "salesforce") // keyed by the sync key; identifiers are plain fields there
        {
            Assert.NotEmpty(type.IdentifiersOf(definition!));
            var profile = type.ProfileOf(definition!);
            Assert.NotNull(profile);
            Assert.All(type.IdentifiersOf(definition!), t => Assert.Contains(t, profile!.Types));
        }
    }

    [Theory]
    [MemberData(nameof(PlatformTypeNames))]
    public void Docs_list_every_setting_of_every_platform_type(string name)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Cohort.slnx"))) root = Path.GetDirectoryName(root)!;
        var docs = File.ReadAllText(Path.Combine(root, "docs", "destinations.md"));
        var start = docs.IndexOf($"#### {name}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/destinations.md has no section '#### {name}'");
        var end = docs.IndexOf("\n#", start + 5, StringComparison.Ordinal);
        var section = docs[start..end];
        foreach (var setting in Type(name).Settings.Where(s => s.Name is not ("timeout_seconds" or "include_error_detail")))
            Assert.Contains($"| `{setting.Name}` |", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Operations_that_need_a_list_are_offered_only_with_one()
    {
        var klaviyo = Type("klaviyo");
        var (bare, _) = Read("klaviyo", Required(klaviyo));
        Assert.Equal([BatchOperation.Upsert], klaviyo.OperationsOf(bare!).ToArray());
        Assert.Contains("list_id", klaviyo.OperationHint!(BatchOperation.Add), StringComparison.Ordinal);
        var (withList, _) = Read("klaviyo", Required(klaviyo).Append(("list_id", "{env: KLAVIYO_LIST}")));
        Assert.Equal([BatchOperation.Add, BatchOperation.Remove, BatchOperation.Upsert], klaviyo.OperationsOf(withList!).ToArray());

        var tradeDesk = Type("the-trade-desk");
        Assert.Equal([BatchOperation.Add], tradeDesk.OperationsOf(Read("the-trade-desk", Required(tradeDesk)).Definition!).ToArray());
        Assert.Contains(BatchOperation.Remove, tradeDesk.OperationsOf(Read("the-trade-desk", Required(tradeDesk).Append(("removal", "expire_with_short_ttl"))).Definition!));
    }

    [Theory]
    [MemberData(nameof(PlatformTypeNames))]
    public async Task A_connector_created_with_default_settings_has_the_declared_limits_operations_and_identifiers(string name)
    {
        var type = Type(name);
        var (definition, errors) = Read(name, Required(type).Select(s => s.Item1 == "customer_id" || s.Item1 == "user_list_id" ? (s.Item1, "\"123\"") : s));
        Assert.Empty(errors);
        var context = new DestinationContext("subject", "sync", 1, TimeProvider.System);
        await using var destination = await Catalog.CreateAsync(definition!, context, new SecretResolver(_ => "key-us1"), CancellationToken.None);
        var d = destination.Descriptor;
        Assert.Equal(type.Limits, new DestinationLimits(d.MaxRecordsPerBatch, d.MaxBytesPerBatch, d.RequestsPerSecond, d.MaxConcurrentRequests, d.CommitOnComplete));
        Assert.Equal(type.OperationsOf(definition!).Order(), d.Operations.Order());
        if (d.Identifiers.Length > 0) Assert.Equal(type.IdentifiersOf(definition!).Order(), d.Identifiers.Order());
    }

    [Fact]
    public async Task A_platform_connector_is_created_from_resolved_settings_with_the_descriptor_limits()
    {
        var (definition, errors) = Read("meta-custom-audience", [("audience_id", "\"123\""), ("access_token", "{env: META_TOKEN}"), ("batch_size", "500")]);
        Assert.Empty(errors);
        var context = new DestinationContext("subject", "sync", 1, TimeProvider.System);
        var secrets = new SecretResolver(v => v == "META_TOKEN" ? "EAAB-x" : null);
        await using var destination = await Catalog.CreateAsync(definition!, context, secrets, CancellationToken.None);
        Assert.Equal(500, destination.Descriptor.MaxRecordsPerBatch);
        Assert.Equal("meta", ((IIdentifierProfileSource)destination).IdentifierProfile!.Name);

        // An unset variable stops before anything is sent, naming the variable and never a value.
        var missing = await Assert.ThrowsAsync<DestinationException>(() =>
            Catalog.CreateAsync(definition!, context, new SecretResolver(_ => null), CancellationToken.None).AsTask());
        Assert.Equal(DestinationErrorClass.AuthOrConfig, missing.ErrorClass);
        Assert.Contains("META_TOKEN", missing.Message, StringComparison.Ordinal);
    }
}
