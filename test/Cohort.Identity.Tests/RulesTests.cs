using Cohort.Core.Diagnostics;
using Cohort.Core.Identity;
using Cohort.Core.Projects;

namespace Cohort.Identity.Tests;

public sealed class RulesTests
{
    private static readonly Core.Schema.SchemaDefinition Schema = ProjectLoader.LoadSchemaText("""
        models:
          customers:
            kind: parent
            table: customers
            primary_key: customer_id
            columns: {customer_id: integer, email: string, phone: string, signup_at: timestamp}
        """, Core.Documents.DocumentFormat.Yaml).Schema;

    private static (IdentityRules? Rules, IReadOnlyList<Diagnostic> Diagnostics) Read(string yaml)
    {
        var bag = new DiagnosticBag();
        var rules = IdentityReader.ReadText(yaml, Schema, bag);
        return (rules, bag.Items);
    }

    [Fact]
    public void Rules_are_read_with_types_limits_priority_and_sources()
    {
        var (rules, diagnostics) = Read("""
            identifiers:
              user_id: {limit: 1}
              email: {type: email, gmail: true, strip_plus: true, blocked: [test@test.com], blocked_patterns: ['^noreply@']}
              phone: {default_region: GB, limit: 2}
              device: device_id
            priority: [user_id, email, phone]
            blocked: [null, anonymous]
            max_profile_size: 50
            sources:
              customers:
                model: customers
                columns: {customer_id: user_id, email: email, phone: phone}
              web:
                table: web_visitors
                key: visitor_id
                columns: {device_id: device}
            """);
        Assert.Empty(diagnostics);
        Assert.NotNull(rules);
        Assert.Equal(IdentifierType.UserId, rules.FindIdentifier("user_id")!.Type);
        Assert.Equal(1, rules.FindIdentifier("user_id")!.Limit);
        Assert.True(rules.FindIdentifier("email")!.Gmail);
        Assert.Equal("GB", rules.FindIdentifier("phone")!.DefaultRegion);
        Assert.Equal(IdentifierType.DeviceId, rules.FindIdentifier("device")!.Type);
        Assert.Equal(["null", "anonymous"], rules.Blocked.ToArray());
        Assert.Equal(50, rules.MaxProfileSize);
        Assert.Equal(4, rules.PriorityOf("device"));
        var customers = rules.FindSource("customers")!;
        Assert.Equal("customers", customers.Table);
        Assert.Equal("customer_id", customers.Key);
        Assert.Equal("signup_at", customers.Timestamp ?? "signup_at");
        Assert.True(rules.FindSource("web")!.IsTable);
    }

    [Fact]
    public void A_rule_on_a_missing_column_names_the_location_and_the_nearest_column()
    {
        var (rules, diagnostics) = Read("""
            identifiers:
              email: {}
            sources:
              customers:
                model: customers
                columns: {emial: email}
            """);
        Assert.Null(rules);
        var d = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownColumn, d.Code);
        Assert.Equal(6, d.Location!.Line);
        Assert.Equal("sources.customers.columns.emial", d.Location.Path);
        Assert.Contains("email", d.Suggestions);
    }

    [Fact]
    public void An_unknown_identifier_type_suggests_the_nearest_type()
    {
        var (_, diagnostics) = Read("""
            identifiers:
              mail: {type: emial}
            sources:
              customers: {model: customers, columns: {email: mail}}
            """);
        var d = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownIdentifierType, d.Code);
        Assert.Equal("identifiers.mail.type", d.Location!.Path);
        Assert.Equal(2, d.Location.Line);
        Assert.Contains("email", d.Suggestions);
        Assert.Contains("expected one of email, phone", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_that_does_not_compile_is_reported_where_it_is_written()
    {
        var (_, diagnostics) = Read("""
            identifiers:
              email: {blocked_patterns: ['^ok$', '(unclosed']}
            sources:
              customers: {model: customers, columns: {email: email}}
            """);
        var d = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.InvalidPattern, d.Code);
        Assert.Equal(2, d.Location!.Line);
        Assert.Contains("(unclosed", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_below_one_is_an_error()
    {
        var (_, diagnostics) = Read("""
            identifiers:
              user_id: {limit: 0}
            sources:
              customers: {model: customers, columns: {customer_id: user_id}}
            """);
        var d = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.InvalidValue, d.Code);
        Assert.Equal("identifiers.user_id.limit", d.Location!.Path);
        Assert.Contains("at least 1", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_suggestions()
    {
        var (_, diagnostics) = Read("""
            identifiers:
              email: {}
              phone: {gmail: true}
            priority: [emails]
            sources:
              customers: {model: customomers, columns: {email: email}}
              crm: {table: crm_contacts, columns: {email: e_mail}}
            unknown_key: 1
            """);
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.UnknownKey && d.Suggestions.IsEmpty);
        Assert.Contains(diagnostics, d => d.Message.Contains("'gmail' applies to email identifiers only", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.UnknownIdentifierType && d.Suggestions.Contains("email") && d.Location!.Path == "priority");
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.UnknownModel && d.Suggestions.Contains("customers"));
        Assert.Contains(diagnostics, d => d.Message.Contains("needs 'key'", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.UnknownIdentifierType && d.Suggestions.Contains("email") && d.Location!.Path == "sources.crm.columns.email");
    }

    [Fact]
    public void The_project_loader_reads_identity_yaml_beside_the_schema()
    {
        var dir = Directory.CreateTempSubdirectory("cohort-identity-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "cohort.yaml"), "name: t\nwarehouse: {type: duckdb, path: ':memory:'}\n");
            File.WriteAllText(Path.Combine(dir, "schema.yaml"), "models:\n  customers:\n    kind: parent\n    table: customers\n    primary_key: id\n    columns: {id: integer, email: string}\n");
            File.WriteAllText(Path.Combine(dir, "identity.yaml"), "identifiers:\n  email: {}\nsources:\n  customers: {model: customers, columns: {emial: email}}\n");
            var project = ProjectLoader.Load(dir);
            var d = Assert.Single(project.Diagnostics, x => x.IsError);
            Assert.Equal("identity.yaml", d.Location!.File);
            Assert.Null(project.Identity);
            File.WriteAllText(Path.Combine(dir, "identity.yaml"), "identifiers:\n  email: {}\nsources:\n  customers: {model: customers, columns: {email: email}}\n");
            Assert.NotNull(ProjectLoader.Load(dir).Identity);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

public sealed class ProfileRulesTests
{
    [Fact]
    public void Profile_attributes_are_checked_against_sources_columns_and_rules()
    {
        var bag = new DiagnosticBag();
        IdentityReader.ReadText("""
            identifiers: {email: {}}
            sources:
              crm: {table: crm, key: id, columns: {email: email}}
            profile:
              email: {rule: first_non_nul, from: [crm.email]}
              name: {rule: most_recent, from: [crm.name]}
              phone: {from: [crn.phone]}
            """, null, bag);
        Assert.Contains(bag.Items, d => d.Suggestions.Contains("first_non_null") && d.Location!.Path == "profile.email.rule");
        Assert.Contains(bag.Items, d => d.Message.Contains("has no 'timestamp'", StringComparison.Ordinal));
        Assert.Contains(bag.Items, d => d.Suggestions.Contains("crm") && d.Location!.Path == "profile.phone.from");
    }
}
