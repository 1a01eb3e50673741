using Cohort.Core.Diagnostics;
using Cohort.Core.Schema;
using Cohort.Testing.Postgres;
using Cohort.Warehouses.Validation;

namespace Cohort.Warehouses.Tests.Shop;

public abstract class SchemaCheckerTests
{
    protected abstract Task<IWarehouse> OpenAsync();

    private async Task<IReadOnlyList<Diagnostic>> CheckAsync(Func<SchemaDefinition, SchemaDefinition> change, string? extraSql = null)
    {
        var schema = change(ShopFixture.Project().Schema);
        await using var warehouse = await OpenAsync();
        await ShopFixture.SeedAsync(warehouse);
        if (extraSql is not null) await warehouse.ExecuteScriptAsync(extraSql);
        return await new SchemaChecker(warehouse).CheckAsync(schema);
    }

    private static SchemaDefinition ReplaceModel(SchemaDefinition s, string name, Func<ModelDefinition, ModelDefinition> change) =>
        s with { Models = [.. s.Models.Select(m => m.Name == name ? change(m) : m)] };

    private static ModelDefinition ReplaceColumn(ModelDefinition m, string name, Func<ColumnDefinition, ColumnDefinition> change) =>
        m with { Columns = [.. m.Columns.Select(c => c.Name == name ? change(c) : c)] };

    [Fact]
    public async Task The_shop_schema_matches_its_warehouse()
    {
        var diagnostics = await CheckAsync(s => s);
        Assert.DoesNotContain(diagnostics, d => d.IsError);
    }

    [Fact]
    public async Task A_missing_table_is_reported_with_the_nearest_table()
    {
        var d = Assert.Single(await CheckAsync(s => ReplaceModel(s, "orders", m => m with { Source = new ModelSource.Table(null, "order") })));
        Assert.Equal(DiagnosticCodes.MissingTable, d.Code);
        Assert.Contains("orders", d.Suggestions);
    }

    [Fact]
    public async Task A_missing_column_is_reported_with_the_nearest_column()
    {
        var d = Assert.Single(await CheckAsync(s => ReplaceModel(s, "customers", m => ReplaceColumn(m, "email", c => c with { Name = "e_mail" }))));
        Assert.Equal(DiagnosticCodes.MissingColumn, d.Code);
        Assert.Contains("email", d.Suggestions);
    }

    [Fact]
    public async Task A_declared_type_that_differs_from_the_warehouse_is_reported()
    {
        var d = Assert.Single(await CheckAsync(s => ReplaceModel(s, "customers", m => ReplaceColumn(m, "email", c => c with { Type = DataType.Integer }))));
        Assert.Equal(DiagnosticCodes.TypeMismatch, d.Code);
        Assert.Contains("string", d.Message);
    }

    [Fact]
    public async Task A_parent_key_that_repeats_or_is_null_is_reported()
    {
        const string Repeating = "SELECT * FROM customers UNION ALL SELECT * FROM customers WHERE customer_id = 1 " +
                                 "UNION ALL SELECT NULL, first_name, email, phone, country, plan, birthday, signup_at, email_consent, tags FROM customers WHERE customer_id = 2";
        var diagnostics = await CheckAsync(s => ReplaceModel(s, "customers", m => m with { Source = new ModelSource.Query(Repeating) }));
        Assert.Equal(2, diagnostics.Count(d => d.Code == DiagnosticCodes.KeyNotUnique));
    }

    [Fact]
    public async Task Relationship_keys_of_different_types_are_reported()
    {
        var diagnostics = await CheckAsync(s => s with
        {
            Relationships = [.. s.Relationships, new RelationshipDefinition("by_email", "customers", "orders", Cardinality.OneToMany, "email", "order_id")],
        });
        Assert.Equal(DiagnosticCodes.RelationshipKeyTypesDiffer, Assert.Single(diagnostics, d => d.IsError).Code);
    }

    [Fact]
    public async Task A_model_query_that_fails_is_reported()
    {
        var d = Assert.Single(await CheckAsync(s => ReplaceModel(s, "products", m => m with { Source = new ModelSource.Query("SELECT * FROM nowhere") })));
        Assert.Equal(DiagnosticCodes.ModelQueryFailed, d.Code);
    }

    [Fact]
    public async Task Declared_events_missing_from_the_data_are_warnings()
    {
        var diagnostics = await CheckAsync(s => ReplaceModel(s, "events", m => m with { EventNames = [.. m.EventNames, "Subscription Paused"] }));
        var d = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.EventNameNotInWarehouse, d.Code);
        Assert.False(d.IsError);
    }
}

public sealed class DuckDbSchemaCheckerTests : SchemaCheckerTests
{
    protected override Task<IWarehouse> OpenAsync() => WarehouseFactory.OpenAsync(WarehouseOptions.DuckDb());
}

public sealed class PostgresSchemaCheckerTests(PostgresDatabase db) : SchemaCheckerTests, IClassFixture<PostgresDatabase>
{
    protected override async Task<IWarehouse> OpenAsync()
    {
        var warehouse = await WarehouseFactory.OpenAsync(WarehouseOptions.Postgres(db.ConnectionString));
        await warehouse.ExecuteScriptAsync("DROP TABLE IF EXISTS customers, orders, order_items, products, events, newsletter_signups, nowhere");
        return warehouse;
    }
}
