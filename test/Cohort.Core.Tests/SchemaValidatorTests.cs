using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Tests.Support;

namespace Cohort.Core.Tests;

public sealed class SchemaValidatorTests
{
    private const string Base = """
        models:
          customers:
            kind: parent
            table: analytics.customers
            primary_key: id
            columns: {id: integer, name: string}
          orders:
            kind: related
            table: orders
            primary_key: id
            timestamp: at
            columns: {id: integer, customer_id: integer, at: timestamp, total: number, status: string}
          products:
            kind: related
            table: products
            columns: {sku: string, price: number}
          events:
            kind: event
            table: events
            timestamp: at
            event_name: name
            events: [Viewed, Bought]
            columns: {customer_id: integer, name: string, at: timestamp}
        relationships:
          - {from: customers, from_key: id, to: orders, to_key: customer_id, cardinality: one_to_many}
          - {from: customers, from_key: id, to: events, to_key: customer_id, cardinality: one_to_many}
        """;

    private static string Codes(string yaml) => Read.Codes(Read.Schema(yaml).Diagnostics);

    private static string WithTrait(string trait) => Base + "\ntraits:\n  t: " + trait + "\n";

    [Fact]
    public void The_fixture_schema_reads_every_part()
    {
        var schema = Fixtures.Schema.Schema;
        Assert.Equal(6, schema.Models.Length);
        Assert.Equal(5, schema.Relationships.Length);
        Assert.Equal(4, schema.Traits.Length);
        var orders = schema.GetModel("orders");
        Assert.Equal(new ModelSource.Table("shop", "orders"), orders.Source);
        Assert.Equal(("order_id", "ordered_at"), (orders.PrimaryKey, orders.TimestampColumn));
        Assert.Equal<string>(["completed", "refunded"], orders.FindColumn("status")!.EnumValues);
        Assert.True(schema.GetModel("customers").FindColumn("email")!.Pii);
        Assert.Equal(DataType.ArrayOf(ScalarType.String), schema.GetModel("customers").FindColumn("tags")!.Type);
        Assert.Equal("Newsletter Signup", schema.GetModel("newsletter_signups").SingleEventName);
        var items = schema.Relationships.Single(r => r.Name == "items");
        Assert.Equal(("orders", "order_items", Cardinality.OneToMany), (items.From, items.To, items.Cardinality));
        var products = schema.Relationships.Single(r => r.To == "products");
        Assert.Equal(new ThroughDefinition("order_items", "order_id", "product_id"), products.Through);
        Assert.Equal("products", products.Name);
        var orders90 = schema.FindTrait("orders_90d")!;
        Assert.Equal<string>(["Order Completed"], orders90.EventNames);
        Assert.Equal(new TimeWindow.WithinLast(new Duration(90, TimeUnit.Day)), orders90.Window);
        Assert.Equal<string>(["orders", "products"], schema.FindTrait("favourite_categories")!.Path);
    }

    [Fact]
    public void Sql_models_keep_their_query()
    {
        var (schema, diagnostics) = Read.Schema("models:\n  c: {kind: parent, sql: select * from raw.c where not deleted, primary_key: id, columns: {id: integer}}\n");
        Assert.Empty(diagnostics);
        Assert.Equal(new ModelSource.Query("select * from raw.c where not deleted"), schema.Models[0].Source);
    }

    [Fact]
    public void A_valid_schema_has_no_diagnostics() => Assert.Equal("", Codes(Base));

    [Fact]
    public void Trait_filters_are_bound_to_the_end_model()
    {
        var (schema, diagnostics) = Read.Schema(WithTrait("{model: customers, from: orders, kind: count, where: {property: at, after: 2026-01-01}}"));
        Assert.Empty(diagnostics);
        var where = (PropertyCondition)schema.Traits[0].Where!;
        Assert.Equal(new Literal.Date(new DateOnly(2026, 1, 1)), ((Operand.Value)where.Test.Operand).Literal);
    }

    [Theory]
    [InlineData("models:\n  c: {kind: parent, table: c, columns: {id: integer}}\n", "COH204")]
    [InlineData("models:\n  e: {kind: event, table: e, event: X, columns: {id: integer}}\n", "COH204")]
    [InlineData("models:\n  c: {kind: parent, table: c, primary_key: idd, columns: {id: integer}}\n", "COH201")]
    [InlineData("models:\n  e: {kind: event, table: e, timestamp: at, columns: {at: date}}\n", "COH204")]
    [InlineData("models:\n  e: {kind: event, table: e, timestamp: at, event_name: n, columns: {at: timestamp, n: integer}}\n", "COH204")]
    [InlineData("models:\n  e: {kind: event, table: e, timestamp: at, event_name: n, event: X, columns: {at: timestamp, n: string}}\n", "COH106")]
    [InlineData("models:\n  e: {kind: event, table: e, timestamp: at, events: [A], columns: {at: timestamp}}\n", "COH204")]
    [InlineData("models:\n  r: {kind: related, table: r, event_name: n, columns: {n: string}}\n", "COH204")]
    [InlineData("models:\n  c: {kind: parent, table: c, sql: select 1, primary_key: id, columns: {id: integer}}\n", "COH106")]
    [InlineData("models:\n  c: {kind: parent, primary_key: id, columns: {id: integer}}\n", "COH103")]
    [InlineData("models:\n  c: {kind: person, table: c, primary_key: id, columns: {id: integer}}\n", "COH105")]
    [InlineData("models:\n  bad-name: {kind: related, table: c, columns: {id: integer}}\n", "COH105")]
    [InlineData("models:\n  c: {kind: parent, table: c, primary_key: id, colums: {id: integer}}\n", "COH102 COH201")]
    public void Model_problems_are_reported(string yaml, string codes) => Assert.Equal(codes, Codes(yaml));

    [Fact]
    public void Unknown_type_suggests_the_valid_types()
    {
        var (schema, diagnostics) = Read.Schema("models:\n  c: {kind: parent, table: c, primary_key: id, columns: {id: integr, seen: timestmp}}\n");
        Assert.Equal("COH207 COH207", Read.Codes(diagnostics));
        Assert.Equal("integer", diagnostics[0].Suggestions[0]);
        Assert.Equal("models.c.columns.seen", diagnostics[1].Location!.Path);
        // The nearest type stands in, so a misspelling does not cascade into more errors.
        Assert.Equal(DataType.Timestamp, schema.Models[0].FindColumn("seen")!.Type);
    }

    [Theory]
    [InlineData("- {from: customer, from_key: id, to: orders, to_key: customer_id, cardinality: one_to_many, name: o2}", "COH200")]
    [InlineData("- {from: customers, from_key: idd, to: orders, to_key: customer_id, cardinality: one_to_many, name: o2}", "COH201")]
    [InlineData("- {from: customers, from_key: id, to: orders, to_key: customer, cardinality: one_to_many, name: o2}", "COH201")]
    [InlineData("- {from: customers, from_key: id, to: orders, to_key: customer_id, cardinality: one_to_many}", "COH205")]
    [InlineData("- {from: customers, from_key: id, to: orders, to_key: customer_id, cardinality: one_to_lots, name: o2}", "COH105")]
    [InlineData("- {from: orders, from_key: id, to: products, to_key: sku, cardinality: many_to_many}", "COH208")]
    [InlineData("- {from: orders, from_key: id, to: products, to_key: sku, cardinality: one_to_many, through: {model: orders, from_key: id, to_key: id}}", "COH208")]
    [InlineData("- {from: orders, from_key: id, to: products, to_key: sku, cardinality: many_to_many, through: {model: lines, from_key: id, to_key: id}}", "COH200")]
    [InlineData("- {from: orders, from_key: id, to: products, to_key: sku, cardinality: many_to_many, through: {model: events, from_key: oid, to_key: name}}", "COH201")]
    [InlineData("- {from: customers, from_key: id, to: orders, to_key: customer_id, cardinality: one_to_many, name: o2, reverse_nme: c}", "COH102")]
    public void Relationship_problems_are_reported(string relationship, string codes) =>
        Assert.Equal(codes, Codes(Base + "\n  " + relationship + "\n"));

    [Fact]
    public void Duplicate_relationship_default_names_are_reported_at_the_later_one()
    {
        var (_, diagnostics) = Read.Schema(Base + "\n  - {from: customers, from_key: id, to: orders, to_key: customer_id, cardinality: one_to_many}\n");
        var error = Assert.Single(diagnostics);
        Assert.Equal(("COH205", "relationships[2].to"), (error.Code, error.Location!.Path));
    }

    [Theory]
    [InlineData("{model: customers, from: orders, kind: sum, column: total, within_last: 365 days}", "")]
    [InlineData("{model: customers, from: events, kind: count, event: Bought}", "")]
    [InlineData("{model: customers, from: events, kind: last, column: name}", "")]
    [InlineData("{model: customer, from: orders, kind: count}", "COH200")]
    [InlineData("{model: orders, from: customers, kind: count}", "COH209")]
    [InlineData("{model: customers, from: order, kind: count}", "COH202")]
    [InlineData("{model: customers, from: orders, kind: sum}", "COH209")]
    [InlineData("{model: customers, from: orders, kind: count, column: total}", "COH209")]
    [InlineData("{model: customers, from: orders, kind: sum, column: totl}", "COH201")]
    [InlineData("{model: customers, from: orders, kind: sum, column: status}", "COH209")]
    [InlineData("{model: customers, from: orders, kind: avg, column: status}", "COH209")]
    [InlineData("{model: customers, from: orders, kind: median, column: total}", "COH105")]
    [InlineData("{model: customers, from: orders, kind: count, event: Bought}", "COH209")]
    [InlineData("{model: customers, from: events, kind: count, event: Sold}", "COH304")]
    [InlineData("{model: customers, from: events, kind: count, within_last: -3 days}", "COH320")]
    [InlineData("{model: customers, from: orders, kind: count, where: {property: country, equals: US}}", "COH201")]
    [InlineData("{model: customers, from: orders, kind: count, where: {trait: t, gt: 1}}", "COH311")]
    [InlineData("{model: customers, from: orders, kind: count, windw: 3}", "COH102")]
    public void Trait_problems_are_reported(string trait, string codes) => Assert.Equal(codes, Codes(WithTrait(trait)));

    [Fact]
    public void Traits_need_a_timestamp_for_windows_and_first_or_last()
    {
        var schema = Base + "\n  - {from: orders, from_key: id, to: products, to_key: sku, cardinality: many_to_one}\ntraits:\n"
            + "  a: {model: customers, from: orders.products, kind: count, within_last: 3 days}\n"
            + "  b: {model: customers, from: orders.products, kind: first, column: price}\n";
        Assert.Equal("COH329 COH328 COH329 COH328", Codes(schema));
    }

    [Fact]
    public void Duplicate_trait_keys_are_reported_by_the_reader()
    {
        var (_, diagnostics) = Read.Schema(Base + "\ntraits:\n  t: {model: customers, from: orders, kind: count}\n  t: {model: customers, from: orders, kind: count}\n");
        Assert.Equal("COH104", Read.Codes(diagnostics));
    }

    [Fact]
    public void Unknown_top_level_key_suggests_the_nearest()
    {
        var error = Assert.Single(Read.Schema("modles: {}\n").Diagnostics);
        Assert.Equal(("COH102", "models"), (error.Code, error.Suggestions[0]));
    }

    [Fact]
    public void Trait_result_types_follow_their_kind()
    {
        var index = Fixtures.Schema;
        DataType? TypeOf(string name) => TraitTypes.ResultType(index.Schema.FindTrait(name)!, index);
        Assert.Equal(DataType.Number, TypeOf("lifetime_value"));
        Assert.Equal(DataType.Integer, TypeOf("orders_90d"));
        Assert.Equal(DataType.Timestamp, TypeOf("last_order_at"));
        Assert.Equal(DataType.ArrayOf(ScalarType.String), TypeOf("favourite_categories"));
    }
}
