using Cohort.Core.Projects;
using Cohort.Core.Schema;
using Cohort.Testing;
using Cohort.Warehouses.Projects;

namespace Cohort.Warehouses.Tests;

/// <summary>The guesses behind <c>cohort init</c>, on a small warehouse with one example of each shape.</summary>
public sealed class SchemaProposerTests : IAsyncLifetime
{
    private readonly DuckDbTestDatabase _database = new();

    private IWarehouse W => _database.Warehouse;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await W.ExecuteScriptAsync("""
            CREATE TABLE users (id BIGINT, full_name VARCHAR, email VARCHAR, email_verified BOOLEAN, tier VARCHAR, home UUID);
            INSERT INTO users VALUES (1, 'A', 'a@x.io', TRUE, 'gold', NULL), (2, 'B', 'b@x.io', FALSE, 'silver', NULL), (3, 'C', NULL, NULL, 'gold', NULL);
            CREATE TABLE page_views (user_id BIGINT, viewed_at TIMESTAMP, url VARCHAR);
            INSERT INTO page_views VALUES (1, TIMESTAMP '2026-01-01 10:00:00', '/a'), (1, TIMESTAMP '2026-01-02 10:00:00', '/b');
            CREATE TABLE tracks (user_id BIGINT, action VARCHAR, happened_at TIMESTAMP);
            INSERT INTO tracks VALUES (1, 'Signed In', TIMESTAMP '2026-01-01 10:00:00'), (2, 'Signed Out', TIMESTAMP '2026-01-01 11:00:00');
            CREATE TABLE teams (team_id INTEGER, name VARCHAR);
            INSERT INTO teams VALUES (10, 'Red'), (11, 'Blue');
            CREATE TABLE memberships (team_id INTEGER, project_id INTEGER);
            INSERT INTO memberships VALUES (10, 100), (11, 100), (11, 101);
            CREATE TABLE projects (project_id INTEGER, user_id BIGINT, created_at TIMESTAMP);
            INSERT INTO projects VALUES (100, 1, TIMESTAMP '2025-01-01 00:00:00'), (101, 2, TIMESTAMP '2025-02-01 00:00:00');
            CREATE TABLE notes (note_id INTEGER, body VARCHAR);
            INSERT INTO notes VALUES (1, 'x'), (1, 'y');
            """);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private async Task<SchemaProposal> ProposeAsync() => await new SchemaProposer(W).ProposeAsync();

    [Fact]
    public async Task The_parent_is_the_keyed_table_others_refer_to_by_its_singular_name()
    {
        var proposal = await ProposeAsync();
        Assert.Equal("users", proposal.Parent?.Name);
        Assert.Equal("id", proposal.Parent?.PrimaryKey);
        Assert.Contains(proposal.Relationships, r => r is { From: "users", FromKey: "id", To: "page_views", ToKey: "user_id", Cardinality: Cardinality.OneToMany });
    }

    [Fact]
    public async Task Event_tables_are_found_by_event_name_column_or_by_an_append_only_shape()
    {
        var models = (await ProposeAsync()).Models.ToDictionary(m => m.Name);
        Assert.Equal(ModelKind.Event, models["tracks"].Kind);
        Assert.Equal("action", models["tracks"].EventNameColumn);
        Assert.Equal(["Signed In", "Signed Out"], models["tracks"].EventNames.ToArray());
        Assert.Equal(ModelKind.Event, models["page_views"].Kind);
        Assert.Equal("Page Views", models["page_views"].EventName);
        Assert.Equal("viewed_at", models["page_views"].Timestamp);
        Assert.Equal(ModelKind.Related, models["projects"].Kind);
        Assert.Equal("created_at", models["projects"].Timestamp);
    }

    [Fact]
    public async Task A_table_joining_two_keyed_tables_makes_a_many_to_many_relationship()
    {
        var proposal = await ProposeAsync();
        var m2m = Assert.Single(proposal.Relationships, r => r.Cardinality == Cardinality.ManyToMany);
        Assert.Equal(("projects", "teams", "memberships"), (m2m.From, m2m.To, m2m.Through?.Model));
    }

    [Fact]
    public async Task A_key_must_be_unique()
    {
        var models = (await ProposeAsync()).Models.ToDictionary(m => m.Name);
        Assert.Null(models["notes"].PrimaryKey);
        Assert.Equal("team_id", models["teams"].PrimaryKey);
    }

    [Fact]
    public async Task Pii_enums_and_unsupported_types()
    {
        var users = (await ProposeAsync()).Models.Single(m => m.Name == "users");
        var columns = users.Columns.ToDictionary(c => c.Name);
        Assert.True(columns["email"].Pii);
        Assert.True(columns["full_name"].Pii);
        Assert.False(columns["email_verified"].Pii);
        Assert.Equal(["gold", "silver"], columns["tier"].EnumValues.ToArray());
        Assert.Null(columns["home"].Type);
    }

    [Fact]
    public async Task The_written_schema_validates()
    {
        var proposal = await ProposeAsync();
        var yaml = SchemaProposalWriter.SchemaYaml(proposal, "a test warehouse");
        Assert.Contains("# home: UUID has no Cohort type", yaml, StringComparison.Ordinal);
        var result = ProjectLoader.LoadSchemaText(yaml, Core.Documents.DocumentFormat.Yaml);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics) + "\n" + yaml);
        var audience = SchemaProposalWriter.ExampleAudience(proposal);
        Assert.NotNull(audience);
        Assert.Contains("model: users", audience, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("customers", "customers")]
    [InlineData("Order Items", "order_items")]
    [InlineData("2024-sales", "t_2024_sales")]
    public void Model_names_are_identifiers(string table, string model) => Assert.Equal(model, SchemaProposer.ModelName(table));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("Health & Beauty", "Health & Beauty")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("10000", "\"10000\"")]
    [InlineData("Where is my order?", "\"Where is my order?\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    public void Scalars_are_quoted_only_when_needed(string value, string yaml) => Assert.Equal(yaml, SchemaProposalWriter.Scalar(value));
}
