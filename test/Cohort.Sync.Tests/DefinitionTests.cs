using System.Collections.Immutable;
using Cohort.Core.Diagnostics;
using Cohort.Core.Projects;
using Cohort.Core.Syncs;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Sync.Definitions;
using Cohort.Sync.Tests.Support;
using Cohort.Testing.Sync;

namespace Cohort.Sync.Tests;

/// <summary>Sync and destination files: every problem a diagnostic with its code and file:line:column, nothing run while one remains.</summary>
public sealed class DefinitionTests : IDisposable
{
    private readonly SyncTestProject _files = new();
    private readonly MemoryDestinationStore _memory = new();

    public void Dispose() => _files.Dispose();

    private DestinationCatalog Catalog => SyncTestProject.Catalog(_memory);

    /// <summary>All diagnostics: the project's (schema, audiences, syncs) and the catalog's (destination types and settings).</summary>
    private ImmutableArray<Diagnostic> Diagnostics()
    {
        var project = ProjectLoader.Load(_files.Directory);
        return [.. project.Diagnostics, .. SyncProject.Bind(project, Catalog).Diagnostics];
    }

    private Diagnostic Single(string code)
    {
        var all = Diagnostics();
        return Assert.Single(all.Where(d => d.Code == code), d => true) is var d && all.Count(x => x.IsError) == 1
            ? d
            : throw new Xunit.Sdk.XunitException($"Expected exactly one error {code}, got:\n{string.Join("\n", all)}");
    }

    [Fact]
    public void A_complete_sync_binds_with_its_payload_layout()
    {
        _files.Sync("vip", """
            name: vip
            description: Active people to the CRM
            audience: active
            destination: memory
            mode: upsert
            on_exit: archive
            fields:
              mail: email
              lifetime: {trait: spend}
              score: {column: score}
            identifiers: {email: email, phone: phone}
            exclude: [unsubscribed]
            schedule: {every: 1 hour}
            """);
        var project = _files.Load();
        var sync = Assert.Single(project.Syncs);
        Assert.Equal(new ValueSource(ValueSourceKind.Column, "email"), sync.Fields[0].Source);
        Assert.Equal(new ValueSource(ValueSourceKind.Trait, "spend"), sync.Fields[1].Source);
        Assert.Equal(new SyncSchedule("1 hour", null), sync.Schedule);
        var bound = Assert.Single(SyncProject.Bind(project, Catalog).Syncs);
        Assert.Equal(["mail", "lifetime", "score", "email", "phone"], bound.Payload.Select(p => p.Name));
        Assert.Equal((BatchOperation.Upsert, BatchOperation.Upsert, BatchOperation.Archive), bound.Operations);
        Assert.Equal(Core.Schema.DataType.Number, bound.Payload[1].Type);
    }

    [Fact]
    public void A_secret_written_as_a_value_is_an_error_at_its_line()
    {
        _files.Destination("hook", "type: webhook\nsettings:\n  url: https://example.com/hook\n  secret: hunter2\n");
        var d = Single(DiagnosticCodes.LiteralSecret);
        Assert.Equal(("destinations/hook.yaml", 4, 11), (d.Location!.File, d.Location.Line, d.Location.Column));
        Assert.DoesNotContain("hunter2", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  api_key: abc123\n")]
    [InlineData("  connection: Host=db;Username=app;Password=abc123\n")]
    [InlineData("  endpoint: postgres://app:abc123@db/x\n")]
    public void Secrets_are_refused_whatever_the_type(string setting)
    {
        _files.Destination("crm", "type: someday_platform\nsettings:\n" + setting);
        var all = Diagnostics();
        Assert.Contains(all, d => d.Code == DiagnosticCodes.LiteralSecret && d.Location!.Line == 3);
        Assert.DoesNotContain(all, d => d.Message.Contains("abc123", StringComparison.Ordinal));
    }

    [Fact]
    public void An_authorization_header_must_be_a_reference()
    {
        _files.Destination("hook", "type: webhook\nsettings:\n  url: https://example.com/hook\n  secret: {env: HOOK}\n  headers:\n    Authorization: Bearer abc\n");
        Assert.Equal(6, Single(DiagnosticCodes.LiteralSecret).Location!.Line);
    }

    [Fact]
    public void A_secret_setting_is_refused_as_a_value_even_without_a_password_in_it()
    {
        _files.Destination("db", "type: postgres\nsettings:\n  connection_string: Host=db;Database=crm\n  table: people\n");
        Assert.Equal(3, Single(DiagnosticCodes.LiteralSecret).Location!.Line);
    }

    [Fact]
    public void Settings_are_checked_against_the_destination_type()
    {
        _files.Destination("hook", "type: webhook\nsettings:\n  secret: {env: HOOK}\n  batch_sise: 10\n  timeout_seconds: forever\n");
        var all = Diagnostics();
        Assert.Contains(all, d => d.Code == DiagnosticCodes.UnknownKey && d.Suggestions.Contains("batch_size"));
        Assert.Contains(all, d => d.Code == DiagnosticCodes.InvalidSetting && d.Message.Contains("'url'", StringComparison.Ordinal));
        Assert.Contains(all, d => d.Code == DiagnosticCodes.InvalidSetting && d.Message.Contains("timeout_seconds", StringComparison.Ordinal) && d.Location!.Line == 5);
    }

    [Fact]
    public void An_unknown_destination_type_suggests_the_nearest()
    {
        _files.Destination("hook", "type: webhok\n");
        Assert.Contains("webhook", Single(DiagnosticCodes.UnknownDestinationType).Suggestions);
    }

    [Fact]
    public void A_sync_naming_an_unknown_destination_suggests_the_nearest()
    {
        _files.Sync("s", "audience: active\ndestination: memroy\nmode: upsert\n");
        var d = Single(DiagnosticCodes.UnknownDestination);
        Assert.Equal(("syncs/s.yaml", 2), (d.Location!.File, d.Location.Line));
        Assert.Contains("memory", d.Suggestions);
    }

    [Fact]
    public void Unknown_columns_traits_and_identifier_types_are_reported_with_suggestions()
    {
        _files.Sync("s", "audience: active\ndestination: memory\nmode: upsert\nfields: {a: emial, b: {trait: spnd}}\nidentifiers: {emali: email}\n");
        var all = Diagnostics();
        Assert.Contains(all, d => d.Code == DiagnosticCodes.UnknownColumn && d.Suggestions.Contains("email"));
        Assert.Contains(all, d => d.Code == DiagnosticCodes.UnknownTrait && d.Suggestions.Contains("spend"));
        Assert.Contains(all, d => d.Code == DiagnosticCodes.UnknownIdentifierType && d.Suggestions.Contains("email"));
    }

    [Fact]
    public void A_mode_the_destination_cannot_do_is_an_error()
    {
        var adds = new MemoryDestinationStore { Descriptor = new DestinationDescriptor("lists", [BatchOperation.Add, BatchOperation.Remove], 10) };
        _files.Destination("list", "type: lists\n");
        _files.Sync("s", "audience: active\ndestination: list\nmode: upsert\n");
        var project = _files.Load();
        var result = SyncProject.Bind(project, SyncTestProject.Catalog(_memory).Register(adds.Type("lists")));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ModeNotSupported, d.Code);
        Assert.Contains("'upsert'", d.Message, StringComparison.Ordinal);
        Assert.Empty(result.Syncs);
    }

    [Fact]
    public void An_identifier_the_destination_does_not_take_is_an_error()
    {
        var ads = new MemoryDestinationStore();
        _files.Destination("ads", "type: ads\n");
        _files.Sync("s", "audience: active\ndestination: ads\nmode: membership\nidentifiers: {email: email, city: name}\n");
        var result = SyncProject.Bind(_files.Load(), SyncTestProject.Catalog(_memory).Register(ads.Type("ads", [IdentifierType.Email])));
        Assert.Equal(DiagnosticCodes.UnknownIdentifierType, Assert.Single(result.Diagnostics).Code);
    }

    [Theory]
    [InlineData("audience: active\ndestination: memory\nmode: membership\non_exit: keep\n", DiagnosticCodes.InvalidValue)]
    [InlineData("audience: active\nfilter: {property: active, is_true: true}\ndestination: memory\nmode: upsert\n", DiagnosticCodes.ConflictingKeys)]
    [InlineData("audience: active\ndestination: memory\nmode: membership\nsplit_group: treatment\n", DiagnosticCodes.InvalidSplitGroup)]
    [InlineData("audience: experiment\ndestination: memory\nmode: membership\nsplit_group: treatmnt\n", DiagnosticCodes.InvalidSplitGroup)]
    [InlineData("audience: active\ndestination: memory\nmode: upsert\nkey: tags\n", DiagnosticCodes.InvalidSyncKey)]
    [InlineData("audience: active\ndestination: memory\nmode: upsert\nfields: [email, email]\n", DiagnosticCodes.InvalidMapping)]
    [InlineData("audience: active\ndestination: memory\nmode: upsert\nexclude: [unsubscribd]\n", DiagnosticCodes.UnknownAudience)]
    [InlineData("audience: active\ndestination: memory\nmode: upsrt\n", DiagnosticCodes.InvalidValue)]
    [InlineData("model: orders\ndestination: memory\nmode: upsert\n", DiagnosticCodes.UnknownModel)]
    [InlineData("destination: memory\nmode: upsert\n", DiagnosticCodes.MissingKey)]
    [InlineData("audience: active\ndestination: memory\nmode: upsert\nschedule: {every: 1 fortnight}\n", DiagnosticCodes.InvalidValue)]
    [InlineData("audience: active\ndestination: memory\nmode: upsert\nschedule: {cron: 0 6 * * *, time_zone: Europe/Londn}\n", DiagnosticCodes.InvalidTimeZone)]
    [InlineData("audience: active\ndestination: memory\nmode: upsert\nschedule: {every: 1 day, time_zone: Europe/London}\n", DiagnosticCodes.ConflictingKeys)]
    public void Bad_syncs_are_diagnosed(string yaml, string code)
    {
        _files.Sync("s", yaml);
        Assert.Equal(code, Single(code).Code);
    }

    [Fact]
    public void A_cron_schedule_takes_an_optional_time_zone()
    {
        _files.Sync("s", "audience: active\ndestination: memory\nmode: upsert\nschedule: {cron: \"0 6 * * 1-5\", time_zone: Europe/London}\n");
        Assert.Empty(Diagnostics().Where(d => d.IsError));
        Assert.Equal(new SyncSchedule(null, "0 6 * * 1-5", "Europe/London"), Assert.Single(_files.Load().Syncs).Schedule);
        var zone = Assert.Single(DiagnosticsFor("audience: active\ndestination: memory\nmode: upsert\nschedule: {cron: 0 6 * * *, time_zone: Europe/Londn}\n"), d => d.IsError);
        Assert.Contains("Europe/London", zone.Suggestions);
        Assert.Equal(4, zone.Location!.Line);
    }

    private ImmutableArray<Diagnostic> DiagnosticsFor(string yaml)
    {
        _files.Sync("s", yaml);
        return Diagnostics();
    }

    [Fact]
    public void Sync_names_must_fit_state_table_names()
    {
        _files.Sync("Bad-Name", "audience: active\ndestination: memory\nmode: upsert\n");
        Assert.Equal(DiagnosticCodes.InvalidSyncName, Single(DiagnosticCodes.InvalidSyncName).Code);
    }

    [Fact]
    public void Destinations_can_be_defined_in_the_project_file()
    {
        File.WriteAllText(Path.Combine(_files.Directory, "cohort.yaml"),
            "name: synctest\nwarehouse: {type: duckdb, path: \":memory:\"}\ndestinations:\n  crm:\n    type: webhook\n    settings: {url: 'https://example.com/h', secret: {env: CRM_SECRET}}\n");
        _files.Sync("s", "audience: active\ndestination: crm\nmode: upsert\n");
        var project = _files.Load();
        var crm = project.FindDestination("crm")!;
        Assert.Equal(new SettingValue.Environment("CRM_SECRET"), crm.Find("secret")!.Value with { Location = null });
        Assert.Empty(SyncProject.Bind(project, Catalog).Diagnostics);
    }

    [Fact]
    public void A_destination_defined_twice_is_an_error()
    {
        _files.Destination("copy", "name: memory\ntype: memory\n");
        Assert.Equal(DiagnosticCodes.DuplicateSyncOrDestination, Single(DiagnosticCodes.DuplicateSyncOrDestination).Code);
    }

    [Fact]
    public void Identifier_names_in_core_match_the_destination_contract()
    {
        Assert.Equal(IdentifierNames.All.Order(StringComparer.Ordinal), Destinations.Values.IdentifierTypes.AllNames);
    }
}
