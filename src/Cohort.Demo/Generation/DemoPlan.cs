using System.Globalization;
using Cohort.Sql;
using static Cohort.Demo.Generation.SqlText;

namespace Cohort.Demo.Generation;

/// <summary>One unit of generation work, reported as one step of progress.</summary>
internal abstract record DemoStep(string Description);

/// <summary>A statement run in the warehouse.</summary>
internal sealed record SqlStep(string Description, string Sql) : DemoStep(Description);

/// <summary>A small table computed in C# and streamed in through <c>BulkLoadAsync</c>.</summary>
internal sealed record BulkStep(string Description, string Table, string[] Columns, Func<IEnumerable<object?[]>> Rows) : DemoStep(Description);

/// <summary>
/// The generator as a list of steps: DDL, then one INSERT ... SELECT per table, computed entirely in the warehouse
/// from <c>generate_series</c> and <see cref="RandomColumns"/> (nothing is held in application memory), then
/// cleanup. Internal working tables are prefixed <c>_demo_</c> and dropped at the end. The SQL is the same on
/// DuckDB and PostgreSQL; only the finishing step (keys, indexes, statistics) is per engine.
/// </summary>
internal sealed partial class DemoPlan
{
    /// <summary>Seconds in a day.</summary>
    private const long Day = 86_400;

    /// <summary>A session starts at least this long before the anchor, so that all its events precede it.</summary>
    private const long SessionLead = 1_200;

    private readonly DemoOptions _o;
    private readonly SqlDialectName _dialect;
    private readonly string _anchor;
    private readonly long _anchorSecondOfDay;

    public DemoPlan(DemoOptions options, SqlDialectName dialect)
    {
        options.Validate();
        _o = options;
        _dialect = dialect;
        _anchor = Timestamp(options.AnchorUtc);
        _anchorSecondOfDay = (long)options.AnchorUtc.TimeOfDay.TotalSeconds;
    }

    public IReadOnlyList<DemoStep> Steps() =>
    [
        new SqlStep("Creating tables", CreateTables),
        new BulkStep("Loading the calendar", "_demo_calendar", ["day_ago", "weight", "day_of_week", "campaign"], () => DemoCalendar.Rows(_o.AnchorUtc)),
        new SqlStep("Loading lookup tables", Lookups()),
        new SqlStep("Generating people", People()),
        new SqlStep("Generating customer behaviour", Activity()),
        new SqlStep("Generating customers", Customers()),
        new SqlStep("Generating products", Products()),
        new SqlStep("Generating sessions", Sessions()),
        new SqlStep("Generating orders", OrderSessions()),
        new SqlStep("Generating order items", OrderItems()),
        new SqlStep("Totalling orders", Orders()),
        new SqlStep("Generating subscriptions", Subscriptions()),
        new SqlStep("Generating browsing events", SessionEvents()),
        new SqlStep("Generating purchase events", OrderEvents()),
        new SqlStep("Generating e-mail events", EmailEvents()),
        new SqlStep("Generating newsletter subscribers", Newsletter()),
        new SqlStep("Generating CRM contacts", CrmContacts()),
        new SqlStep("Generating web visitors", WebVisitors()),
        new SqlStep("Generating app users", AppUsers()),
        new SqlStep("Generating support tickets", SupportTickets()),
        new SqlStep("Writing the identity truth table", IdentityTruth()),
        new SqlStep("Cleaning up", Cleanup()),
        new SqlStep("Finishing", Finish()),
    ];

    /// <summary>The public tables, in the order they are documented (docs/demo.md).</summary>
    public static readonly string[] Tables =
    [
        "customers", "categories", "products", "orders", "order_items", "subscriptions", "events", "newsletter_subscribers",
        "crm_contacts", "web_visitors", "app_users", "support_tickets", "identity_truth", "demo_info",
    ];

    private const string CreateTables = """
        CREATE TABLE _demo_calendar (day_ago INTEGER, weight INTEGER, day_of_week INTEGER, campaign VARCHAR);
        CREATE TABLE _demo_slots (slot INTEGER);
        CREATE TABLE _demo_people (
            person_id BIGINT, is_customer BOOLEAN,
            first_name VARCHAR, first_upper VARCHAR, last_name VARCHAR, last_upper VARCHAR,
            country VARCHAR, city VARCHAR, street VARCHAR, postal_code VARCHAR,
            email_local VARCHAR, email_domain VARCHAR, email VARCHAR, email2 VARCHAR,
            calling_code VARCHAR, phone_national VARCHAR, phone VARCHAR,
            birthday DATE, device_count INTEGER, platform VARCHAR);
        CREATE TABLE _demo_activity (
            customer_id BIGINT, has_email BOOLEAN, signup_days INTEGER, signup_secs_ago BIGINT, end_days INTEGER,
            churned BOOLEAN, vip BOOLEAN, has_app BOOLEAN, email_consent BOOLEAN, session_budget INTEGER,
            email_budget INTEGER, email_weeks INTEGER, buy_threshold BIGINT, app_threshold BIGINT,
            fav_category INTEGER, subscription_count INTEGER);
        CREATE TABLE _demo_sessions (
            customer_id BIGINT, k INTEGER, start_secs_ago BIGINT, channel VARCHAR, device VARCHAR, depth INTEGER,
            second_page BOOLEAN, second_product_view BOOLEAN, landing_page VARCHAR, focus_category INTEGER,
            focus_product INTEGER, second_product INTEGER, order_secs_ago BIGINT, item_count INTEGER);
        CREATE TABLE _demo_orders (
            order_id BIGINT, customer_id BIGINT, k INTEGER, order_secs_ago BIGINT, item_count INTEGER, channel VARCHAR,
            device VARCHAR, focus_category INTEGER, focus_product INTEGER);

        CREATE TABLE customers (
            customer_id BIGINT, first_name VARCHAR, last_name VARCHAR, email VARCHAR, phone VARCHAR,
            street VARCHAR, city VARCHAR, postal_code VARCHAR, country VARCHAR, birthday DATE, signup_at TIMESTAMP,
            plan VARCHAR, email_consent BOOLEAN, sms_consent BOOLEAN, push_consent BOOLEAN, tags VARCHAR[],
            acquisition_channel VARCHAR, loyalty_points INTEGER);
        CREATE TABLE categories (category_id INTEGER, name VARCHAR, department VARCHAR);
        CREATE TABLE products (
            product_id INTEGER, name VARCHAR, category_id INTEGER, brand VARCHAR, price DECIMAL(10, 2),
            is_active BOOLEAN, created_at TIMESTAMP);
        CREATE TABLE orders (
            order_id BIGINT, customer_id BIGINT, ordered_at TIMESTAMP, status VARCHAR, total DECIMAL(12, 2),
            item_count INTEGER, channel VARCHAR, discount_code VARCHAR);
        CREATE TABLE order_items (order_item_id BIGINT, order_id BIGINT, product_id INTEGER, quantity INTEGER, unit_price DECIMAL(10, 2));
        CREATE TABLE subscriptions (
            subscription_id BIGINT, customer_id BIGINT, plan VARCHAR, status VARCHAR, started_at TIMESTAMP,
            cancelled_at TIMESTAMP, renews_at TIMESTAMP, monthly_amount DECIMAL(10, 2));
        CREATE TABLE events (
            event_id BIGINT, customer_id BIGINT, event VARCHAR, occurred_at TIMESTAMP, channel VARCHAR, device VARCHAR,
            page VARCHAR, product_id INTEGER, category VARCHAR, revenue DECIMAL(12, 2), order_id BIGINT, campaign VARCHAR);
        CREATE TABLE newsletter_subscribers (
            subscriber_id BIGINT, email VARCHAR, customer_id BIGINT, subscribed_at TIMESTAMP, source VARCHAR, status VARCHAR);
        CREATE TABLE crm_contacts (
            contact_id BIGINT, first_name VARCHAR, last_name VARCHAR, email VARCHAR, phone VARCHAR, postal_code VARCHAR,
            created_at TIMESTAMP, updated_at TIMESTAMP);
        CREATE TABLE web_visitors (
            visitor_id BIGINT, anonymous_id VARCHAR, customer_id BIGINT, email VARCHAR, device_id VARCHAR, browser VARCHAR,
            first_seen_at TIMESTAMP, last_seen_at TIMESTAMP);
        CREATE TABLE app_users (
            app_user_id BIGINT, install_id VARCHAR, customer_id BIGINT, device_id VARCHAR, platform VARCHAR, email VARCHAR,
            phone VARCHAR, installed_at TIMESTAMP);
        CREATE TABLE support_tickets (
            ticket_id BIGINT, requester_name VARCHAR, email VARCHAR, phone VARCHAR, subject VARCHAR, channel VARCHAR,
            created_at TIMESTAMP);
        CREATE TABLE identity_truth (source VARCHAR, record_id BIGINT, person_id BIGINT, customer_id BIGINT);
        CREATE TABLE demo_info (key VARCHAR, value VARCHAR)
        """;

    private string Lookups()
    {
        var categories = string.Join(", ", Vocabulary.Categories.Select(c => $"({c.Id}, {Str(c.Name)}, {Str(c.Department)})"));
        var info = new (string Key, string Value)[]
        {
            ("generator", "cohort demo, format 1"),
            ("seed", Int(_o.Seed)),
            ("customers", Int(_o.Customers)),
            ("prospects", Int(_o.Prospects)),
            ("products", Int(_o.Products)),
            ("anchor", _o.AnchorUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            ("history_days", Int(DemoCalendar.HistoryDays)),
        };
        return $"""
            INSERT INTO _demo_slots VALUES (0), (1), (2), (3), (4), (5);
            INSERT INTO categories VALUES {categories};
            INSERT INTO demo_info VALUES {string.Join(", ", info.Select(i => $"({Str(i.Key)}, {Str(i.Value)})"))}
            """;
    }

    private string Cleanup() => string.Join(";\n",
        new[] { "_demo_calendar", "_demo_slots", "_demo_people", "_demo_activity", "_demo_sessions", "_demo_orders" }
            .Concat(IdentityStaging)
            .Select(t => $"DROP TABLE {t}"));

    /// <summary>PostgreSQL gets primary keys, indexes for the joins audiences make, and fresh statistics.</summary>
    private string Finish() => _dialect switch
    {
        SqlDialectName.Postgres => """
            ALTER TABLE customers ADD PRIMARY KEY (customer_id);
            ALTER TABLE categories ADD PRIMARY KEY (category_id);
            ALTER TABLE products ADD PRIMARY KEY (product_id);
            ALTER TABLE orders ADD PRIMARY KEY (order_id);
            ALTER TABLE order_items ADD PRIMARY KEY (order_item_id);
            ALTER TABLE subscriptions ADD PRIMARY KEY (subscription_id);
            ALTER TABLE events ADD PRIMARY KEY (event_id);
            CREATE INDEX orders_customer_id ON orders (customer_id);
            CREATE INDEX order_items_order_id ON order_items (order_id);
            CREATE INDEX subscriptions_customer_id ON subscriptions (customer_id);
            CREATE INDEX events_customer_id_occurred_at ON events (customer_id, occurred_at);
            CREATE INDEX newsletter_subscribers_customer_id ON newsletter_subscribers (customer_id);
            ANALYZE
            """,
        // DuckDB keeps min/max statistics per row group by itself; indexes would only slow the load.
        _ => "CHECKPOINT",
    };

    // ----- shared SQL fragments -----

    /// <summary>
    /// Ends every derived table, so that PostgreSQL computes it once instead of pasting its expressions into the
    /// query above (where they would be evaluated once per reference, multiplying with every layer). See
    /// <see cref="RandomColumns"/>.
    /// </summary>
    private string F => _dialect == SqlDialectName.Postgres ? " OFFSET 0" : "";

    private RandomColumns Random(string scope) => new(_o.Seed, scope, F);

    /// <summary>
    /// The anchor minus a number of seconds, a TIMESTAMP. DuckDB builds it from epoch microseconds (several times
    /// faster than interval arithmetic); PostgreSQL subtracts an interval. Both give the same instant.
    /// </summary>
    private string Ago(string seconds) => _dialect == SqlDialectName.DuckDb
        ? $"make_timestamp({AnchorMicros} - CAST({seconds} AS BIGINT) * 1000000)"
        : SqlText.Ago(_anchor, seconds);

    private string Ahead(string seconds) => _dialect == SqlDialectName.DuckDb
        ? $"make_timestamp({AnchorMicros} + CAST({seconds} AS BIGINT) * 1000000)"
        : SqlText.Ahead(_anchor, seconds);

    private string AnchorMicros => Int((_o.AnchorUtc - DateTime.UnixEpoch).Ticks / 10);

    /// <summary>Seconds before the anchor of a moment on day <paramref name="dayAgo"/> at second-of-day <paramref name="secondOfDay"/>.</summary>
    private string SecondsAgo(string dayAgo, string secondOfDay) => $"({dayAgo} * {Day} + {_anchorSecondOfDay} - {secondOfDay})";

    private static string CategoryName(string categoryId) =>
        Lookup(categoryId, Vocabulary.Categories.Select(c => ((long)c.Id, c.Name)), Str);

    private static string RandomCategory(string r) =>
        WeightedInt([.. Vocabulary.Categories.Select(c => ((long)c.Id, c.Weight))], r);

    /// <summary>Product ids are allotted to categories in contiguous blocks, by weight.</summary>
    private (int First, int Count)[] ProductBlocks()
    {
        var total = Vocabulary.Categories.Sum(c => c.Weight);
        var blocks = new (int, int)[Vocabulary.Categories.Length];
        var next = 1;
        for (var i = 0; i < blocks.Length; i++)
        {
            var count = i == blocks.Length - 1
                ? _o.Products - next + 1
                : Math.Max(1, (int)Math.Round(_o.Products * Vocabulary.Categories[i].Weight / total));
            blocks[i] = (next, count);
            next += count;
        }
        return blocks;
    }

    /// <summary>
    /// A product of a category: popular products first. The rank within the category is floor(n * u^2), so the
    /// first product of a block is the most viewed and bought, and popularity falls off like a power law.
    /// </summary>
    private string ProductIn(string categoryColumn, string r)
    {
        var blocks = ProductBlocks();
        return Lookup(categoryColumn, Vocabulary.Categories.Select((c, i) => ((long)c.Id, blocks[i])),
            b => $"{b.First} + {Floor($"{b.Count} * {Unit0(r)} * {Unit0(r)}")}");
    }

    private static string HourOfDay(string r) =>
        WeightedInt([.. DemoCalendar.HourWeights.Select((w, hour) => ((long)hour, w))], r);

    /// <summary>The md5 (hex, the same text on both engines) a UUID-shaped identifier is cut from.</summary>
    private string UuidHash(string kind, string personColumn, string slotColumn) =>
        $"md5({Str($"{_o.Seed}:{kind}:")} || CAST({personColumn} AS VARCHAR) || ':' || CAST({slotColumn} AS VARCHAR))";

    /// <summary>A UUID-shaped identifier (version 4 layout) from a column holding <see cref="UuidHash"/>.</summary>
    private static string Uuid(string h) =>
        $"(substr({h}, 1, 8) || '-' || substr({h}, 9, 4) || '-4' || substr({h}, 14, 3) || '-a' || substr({h}, 18, 3) || '-' || substr({h}, 21, 12))";

    /// <summary>A device identifier: one of the person's own devices, or one of a small pool shared by many people.</summary>
    private string Device(string personColumn, string deviceSlot, string sharedChance, string sharedPick)
    {
        var pool = 25 + _o.People / 2000;
        var own = $"'dev_' || substr(md5({Str($"{_o.Seed}:device:")} || CAST({personColumn} AS VARCHAR) || ':' || CAST({deviceSlot} AS VARCHAR)), 1, 16)";
        var shared = $"'dev_shared_' || substr(md5({Str($"{_o.Seed}:shared:")} || CAST({Below(sharedPick, pool)} AS VARCHAR)), 1, 10)";
        return $"(CASE WHEN {sharedChance} THEN {shared} ELSE {own} END)";
    }
}
