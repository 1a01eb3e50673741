using System.Collections.Immutable;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using static Cohort.Testing.Ast;

namespace Cohort.Testing.Differential;

/// <summary>
/// The fixed schema shared by the operator examples and the differential tests. Every engine under test creates
/// the same tables from <see cref="Tables"/> and loads a <see cref="Reference.ReferenceDataset"/> into them.
/// <code>
/// people (parent) --account (N:1)--> accounts          reverse: members
/// people --orders (1:N)--> orders --products (N:M through order_items)--> products   reverse: person / orders
/// people --events (1:N)--> events (event-name column "event")                          reverse: person
/// people --signups (1:N)--> signups (one event: "signup")                              reverse: person
/// </code>
/// </summary>
public static class TestSchema
{
    public static readonly ImmutableArray<string> EventNames = ["view", "cart", "checkout", "purchase", "email_open"];

    public static readonly ModelDefinition People = new(
        "people", ModelKind.Parent, new ModelSource.Table(null, "people"),
        [
            new("person_id", DataType.Integer),
            new("name", DataType.String),
            new("country", DataType.String),
            new("age", DataType.Integer),
            new("score", DataType.Number),
            new("vip", DataType.Boolean),
            new("birthday", DataType.Date),
            new("signup_at", DataType.Timestamp),
            new("tags", DataType.ArrayOf(ScalarType.String)),
            new("account_id", DataType.Integer),
        ],
        PrimaryKey: "person_id");

    public static readonly ModelDefinition Accounts = new(
        "accounts", ModelKind.Related, new ModelSource.Table(null, "accounts"),
        [new("account_id", DataType.Integer), new("plan", DataType.String), new("seats", DataType.Integer)],
        PrimaryKey: "account_id");

    public static readonly ModelDefinition Orders = new(
        "orders", ModelKind.Related, new ModelSource.Table(null, "orders"),
        [
            new("order_id", DataType.Integer),
            new("person_id", DataType.Integer),
            new("total", DataType.Number),
            new("status", DataType.String),
            new("created_at", DataType.Timestamp),
        ],
        PrimaryKey: "order_id",
        TimestampColumn: "created_at");

    public static readonly ModelDefinition Products = new(
        "products", ModelKind.Related, new ModelSource.Table(null, "products"),
        [new("product_id", DataType.Integer), new("category", DataType.String), new("price", DataType.Number)],
        PrimaryKey: "product_id");

    /// <summary>The join model of orders N:M products. No primary key: the same pair may appear twice.</summary>
    public static readonly ModelDefinition OrderItems = new(
        "order_items", ModelKind.Related, new ModelSource.Table(null, "order_items"),
        [new("order_id", DataType.Integer), new("product_id", DataType.Integer)]);

    public static readonly ModelDefinition Events = new(
        "events", ModelKind.Event, new ModelSource.Table(null, "events"),
        [
            new("person_id", DataType.Integer),
            new("event", DataType.String),
            new("ts", DataType.Timestamp),
            new("amount", DataType.Number),
            new("channel", DataType.String),
        ],
        TimestampColumn: "ts",
        EventNameColumn: "event",
        EventNames: EventNames);

    /// <summary>A table holding one event, named "signup".</summary>
    public static readonly ModelDefinition Signups = new(
        "signups", ModelKind.Event, new ModelSource.Table(null, "signups"),
        [new("person_id", DataType.Integer), new("ts", DataType.Timestamp), new("source", DataType.String)],
        TimestampColumn: "ts",
        EventName: "signup");

    public static readonly ImmutableArray<RelationshipDefinition> Relationships =
    [
        new("account", "people", "accounts", Cardinality.ManyToOne, "account_id", "account_id", ReverseName: "members"),
        new("orders", "people", "orders", Cardinality.OneToMany, "person_id", "person_id", ReverseName: "person"),
        new("products", "orders", "products", Cardinality.ManyToMany, "order_id", "product_id",
            new ThroughDefinition("order_items", "order_id", "product_id"), ReverseName: "orders"),
        new("events", "people", "events", Cardinality.OneToMany, "person_id", "person_id", ReverseName: "person"),
        new("signups", "people", "signups", Cardinality.OneToMany, "person_id", "person_id", ReverseName: "person"),
    ];

    /// <summary>Traits of every kind, over related, many-to-many, many-to-one and event paths, with and without windows.</summary>
    public static readonly ImmutableArray<TraitDefinition> Traits =
    [
        Trait("order_count", TraitKind.Count, ["orders"]),
        Trait("recent_order_count", TraitKind.Count, ["orders"], window: Last(Months(1))),
        Trait("lifetime_value", TraitKind.Sum, ["orders"], "total", where: Prop("status", PropertyOperator.Equals, Str("completed"))),
        Trait("avg_order_total", TraitKind.Avg, ["orders"], "total"),
        Trait("smallest_order", TraitKind.Min, ["orders"], "total"),
        Trait("largest_order", TraitKind.Max, ["orders"], "total"),
        Trait("lowest_status", TraitKind.Min, ["orders"], "status"),
        Trait("last_order_at", TraitKind.Max, ["orders"], "created_at"),
        Trait("first_order_status", TraitKind.First, ["orders"], "status"),
        Trait("last_order_status", TraitKind.Last, ["orders"], "status"),
        Trait("category_count", TraitKind.DistinctCount, ["orders", "products"], "category"),
        Trait("categories", TraitKind.List, ["orders", "products"], "category"),
        Trait("top_category", TraitKind.MostFrequent, ["orders", "products"], "category"),
        Trait("cheapest_product", TraitKind.Min, ["orders", "products"], "price"),
        Trait("seats", TraitKind.Max, ["account"], "seats"),
        Trait("account_plan", TraitKind.Min, ["account"], "plan"),
        Trait("first_channel", TraitKind.First, ["events"], "channel"),
        Trait("last_event_name", TraitKind.Last, ["events"], "event"),
        Trait("favourite_channel", TraitKind.MostFrequent, ["events"], "channel"),
        Trait("channels", TraitKind.List, ["events"], "channel"),
        Trait("channel_count", TraitKind.DistinctCount, ["events"], "channel"),
        Trait("purchases_30d", TraitKind.Count, ["events"], events: ["purchase"], window: Last(Days(30))),
        Trait("spend_90d", TraitKind.Sum, ["events"], "amount", events: ["purchase"], window: Last(Days(90))),
        Trait("avg_purchase", TraitKind.Avg, ["events"], "amount", events: ["purchase"]),
        Trait("opens_7_to_30_days_ago", TraitKind.Count, ["events"], events: ["email_open"], window: AgoWindow(Days(7), Days(30))),
        Trait("last_purchase_at", TraitKind.Max, ["events"], "ts", events: ["purchase"]),
        Trait("first_signup_source", TraitKind.First, ["signups"], "source"),
        Trait("signup_sources", TraitKind.List, ["signups"], "source"),
    ];

    public static readonly SchemaDefinition Schema = new(
        [People, Accounts, Orders, Products, OrderItems, Events, Signups], Relationships, Traits);

    /// <summary>Every table to create, in an order that satisfies the relationships, with its columns and types.</summary>
    public static IReadOnlyList<TableDefinition> Tables { get; } =
        [.. Schema.Models.Select(m => new TableDefinition(m.Name, [.. m.Columns.Select(c => new TableColumn(c.Name, c.Type))]))];

    public static TraitDefinition GetTrait(string name) => Schema.FindTrait(name) ?? throw new KeyNotFoundException(name);

    private static TraitDefinition Trait(
        string name, TraitKind kind, ImmutableArray<string> path, string? column = null,
        ImmutableArray<string> events = default, Condition? where = null, TimeWindow? window = null) =>
        new(name, "people", kind, path, column, events.IsDefault ? [] : events, where, window ?? Ever);
}

/// <summary>A table a harness creates for one model: its name (the model's) and its columns.</summary>
public sealed record TableDefinition(string Name, ImmutableArray<TableColumn> Columns);

public sealed record TableColumn(string Name, DataType Type);
