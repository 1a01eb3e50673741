using Cohort.Core.Audiences;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Core.Tests.Support;

namespace Cohort.Core.Tests;

public sealed class ProjectLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cohort-project-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private void WriteShop(string project = "name: shop\nwarehouse: {type: duckdb, path: data/shop.duckdb}\n")
    {
        Write("cohort.yaml", project);
        File.Copy(Fixtures.PathOf("schema.yaml"), Path.Combine(_dir, "schema.yaml"));
        Directory.CreateDirectory(Path.Combine(_dir, "audiences"));
        foreach (var name in new[] { "vip.yaml", "churned.yaml" })
            File.Copy(Fixtures.PathOf(Path.Combine("library", name)), Path.Combine(_dir, "audiences", name), overwrite: true);
    }

    [Fact]
    public void Loads_a_project_with_its_schema_and_bound_audiences()
    {
        WriteShop();
        Write("audiences/recent/signups.json", """{"model": "customers", "condition": {"property": "signup_date", "after": "2026-01-01"}}""");

        var loaded = ProjectLoader.Load(_dir);

        Assert.Empty(loaded.Diagnostics);
        Assert.Equal("shop", loaded.Project.Name);
        Assert.Equal(new WarehouseConfig.DuckDb(Path.Combine(_dir, "data", "shop.duckdb")), loaded.Project.Warehouse);
        Assert.Equal("UTC", loaded.Project.TimeZone);
        Assert.Equal(6, loaded.Schema.Models.Length);
        Assert.Equal<string>(["churned", "signups", "vip"], loaded.Audiences.Select(a => a.Name).Order(StringComparer.Ordinal));
        var signups = (PropertyCondition)loaded.FindAudience("signups")!.Condition!;
        Assert.IsType<Literal.Date>(((Operand.Value)signups.Test.Operand).Literal);
    }

    [Fact]
    public void Project_file_can_be_given_directly_and_paths_are_configurable()
    {
        Write("cohort.yaml", "name: x\nwarehouse: {type: duckdb, path: ':memory:', init_sql: seed.sql}\nschema: defs/model.yml\naudiences: segs\ntime_zone: Europe/Berlin\n");
        Write("seed.sql", "select 1;");
        Write("defs/model.yml", "models:\n  c: {kind: parent, table: c, primary_key: id, columns: {id: integer}}\n");
        Write("segs/all.yaml", "model: c\n");

        var loaded = ProjectLoader.Load(Path.Combine(_dir, "cohort.yaml"));

        Assert.Empty(loaded.Diagnostics);
        var duck = Assert.IsType<WarehouseConfig.DuckDb>(loaded.Project.Warehouse);
        Assert.True(duck.InMemory);
        Assert.Equal(Path.Combine(_dir, "seed.sql"), duck.InitSqlPath);
        Assert.Equal("Europe/Berlin", loaded.Project.ResolveTimeZone().Id);
        Assert.Equal("all", Assert.Single(loaded.Audiences).Name);
    }

    [Fact]
    public void Problems_in_every_file_are_reported_together_with_project_relative_names()
    {
        WriteShop("name: shop\nwarehouse: {type: duckdb, path: x.duckdb}\ntime_zone: Europe/Berln\n");
        Write("schema.yaml", File.ReadAllText(Path.Combine(_dir, "schema.yaml")) + "  broken: {model: customers, from: nowhere, kind: count}\n");
        Write("audiences/a.yaml", "model: customers\ncondition: {property: contry, equals: US}\n");
        Write("audiences/b.json", "{\"model\": \"customers\",}");

        var loaded = ProjectLoader.Load(_dir);

        Assert.True(loaded.HasErrors);
        Assert.Equal(
            [("COH334", "cohort.yaml"), ("COH202", "schema.yaml"), ("COH100", "audiences/b.json"), ("COH201", "audiences/a.yaml")],
            loaded.Diagnostics.Select(d => (d.Code, d.Location!.File)));
        Assert.Equal("Europe/Berlin", loaded.Diagnostics[0].Suggestions[0]);
        Assert.Throws<Cohort.Core.Diagnostics.CohortDiagnosticsException>(() => loaded.EnsureValid());
    }

    [Fact]
    public void Missing_project_and_schema_files_are_reported()
    {
        var loaded = ProjectLoader.Load(_dir);
        Assert.Equal("COH107 COH107", Read.Codes(loaded.Diagnostics));
        Assert.Equal(["cohort.yaml", "schema.yaml"], loaded.Diagnostics.Select(d => d.Location!.File));
    }

    [Fact]
    public void A_missing_configured_audiences_folder_or_init_sql_is_reported_but_the_default_folder_is_optional()
    {
        WriteShop("warehouse: {type: duckdb, path: a.duckdb, init_sql: nope.sql}\naudiences: segments\n");
        Assert.Equal("COH107 COH107", Read.Codes(ProjectLoader.Load(_dir).Diagnostics));

        Write("cohort.yaml", "warehouse: {type: duckdb, path: a.duckdb}\n");
        Directory.Delete(Path.Combine(_dir, "audiences"), recursive: true);
        var loaded = ProjectLoader.Load(_dir);
        Assert.Empty(loaded.Diagnostics);
        Assert.Empty(loaded.Audiences);
    }

    [Theory]
    [InlineData("{type: postgres, connection_string_env: COHORT_PG, schema: analytics}", "")]
    [InlineData("{type: postgres, connection_string: 'Host=localhost;Database=shop;Username=me'}", "")]
    [InlineData("{type: postgres, connection_string: 'Host=localhost;Database=shop;Password=hunter2'}", "COH400")]
    [InlineData("{type: postgres, connection_string: 'postgresql://me:hunter2@localhost/shop'}", "COH400")]
    [InlineData("{type: postgres, connection_string_env: 'Host=localhost'}", "COH400")]
    [InlineData("{type: postgres, connection_string_env: A, connection_string: 'Host=x'}", "COH106")]
    [InlineData("{type: postgres}", "COH103")]
    [InlineData("{type: postgress, connection_string_env: A}", "COH400")]
    [InlineData("{type: duckdb}", "COH103")]
    [InlineData("{type: duckdb, path: a.duckdb, connection_string_env: A}", "COH102")]
    public void Warehouse_settings_are_checked(string warehouse, string codes)
    {
        WriteShop($"warehouse: {warehouse}\n");
        Assert.Equal(codes, Read.Codes(ProjectLoader.Load(_dir).Diagnostics));
    }

    [Fact]
    public void Password_never_appears_in_a_diagnostic()
    {
        WriteShop("warehouse: {type: postgres, connection_string: 'Host=h;Password=hunter2'}\n");
        Assert.DoesNotContain(ProjectLoader.Load(_dir).Diagnostics, d => d.ToString().Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void Postgres_connection_string_comes_from_the_named_environment_variable()
    {
        var config = new WarehouseConfig.Postgres("COHORT_PG", null);
        Assert.Equal("Host=db", config.ResolveConnectionString(name => name == "COHORT_PG" ? "Host=db" : null));
        Assert.Null(config.ResolveConnectionString(_ => null));
    }

    [Fact]
    public void Audience_text_is_validated_against_the_project_replacing_its_namesake()
    {
        WriteShop();
        var project = ProjectLoader.Load(_dir);

        var edit = ProjectLoader.LoadAudienceText(project, "name: vip\nmodel: customers\ncondition: {trait: lifetime_value, gte: \"2000\"}\n", DocumentFormat.Yaml);
        Assert.True(edit.Succeeded, string.Join("\n", edit.Diagnostics));
        Assert.Equal(new Literal.Number(2000), ((Operand.Value)((TraitCondition)edit.Audience!.Condition!).Test.Operand).Literal);

        var bad = ProjectLoader.LoadAudienceText(project, """{"model": "customers", "condition": {"audience": "vipp"}}""", DocumentFormat.Json, "new.json");
        Assert.False(bad.Succeeded);
        var error = Assert.Single(bad.Diagnostics);
        Assert.Equal(("COH305", "new.json", "vip"), (error.Code, error.Location!.File, error.Suggestions[0]));

        var malformed = ProjectLoader.LoadAudienceText(project, "model: [", DocumentFormat.Yaml);
        Assert.Null(malformed.Audience);
        Assert.Equal("COH100", Read.Codes(malformed.Diagnostics));
    }

    [Fact]
    public void Schema_text_is_validated()
    {
        var result = ProjectLoader.LoadSchemaText("models:\n  c: {kind: parent, table: c, columns: {id: integer}}\n", DocumentFormat.Yaml);
        Assert.False(result.Succeeded);
        Assert.Equal("COH204", Read.Codes(result.Diagnostics));
    }
}
