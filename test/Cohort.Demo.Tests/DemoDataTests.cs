using System.Globalization;
using Cohort.Testing;
using Cohort.Warehouses;

namespace Cohort.Demo.Tests;

/// <summary>What docs/demo.md promises about the data, checked on the 2,000-customer DuckDB demo.</summary>
[Collection(DemoCollection.Name)]
public sealed class DemoDataTests(DemoFixture demo)
{
    private IWarehouse W => demo.DuckDb;

    private async Task<long> Long(string sql) => Convert.ToInt64(await W.ScalarAsync(sql), CultureInfo.InvariantCulture);

    private string Anchor => "TIMESTAMP '" + demo.Options.AnchorUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "'";

    [Fact]
    public async Task Every_table_has_rows_and_about_30_events_per_customer()
    {
        Assert.All(demo.DuckDbSummary.Tables, t => Assert.True(t.Rows > 0, t.Table));
        Assert.Equal(2_000, demo.DuckDbSummary.RowsOf("customers"));
        var perCustomer = demo.DuckDbSummary.RowsOf("events") / 2_000.0;
        Assert.InRange(perCustomer, 22, 38);
    }

    [Theory]
    [InlineData("customers", "customer_id")]
    [InlineData("orders", "order_id")]
    [InlineData("order_items", "order_item_id")]
    [InlineData("products", "product_id")]
    [InlineData("subscriptions", "subscription_id")]
    [InlineData("events", "event_id")]
    [InlineData("newsletter_subscribers", "subscriber_id")]
    [InlineData("crm_contacts", "contact_id")]
    [InlineData("web_visitors", "visitor_id")]
    [InlineData("app_users", "app_user_id")]
    [InlineData("support_tickets", "ticket_id")]
    public async Task Keys_are_unique_and_never_null(string table, string key) =>
        Assert.Equal(0, await Long($"SELECT count(*) - count(DISTINCT {key}) FROM {table}"));

    [Fact]
    public async Task Nothing_happens_after_the_anchor()
    {
        foreach (var (table, column) in new[] { ("events", "occurred_at"), ("orders", "ordered_at"), ("customers", "signup_at"), ("subscriptions", "started_at"),
                     ("subscriptions", "cancelled_at"), ("newsletter_subscribers", "subscribed_at"), ("crm_contacts", "updated_at"), ("web_visitors", "last_seen_at"),
                     ("app_users", "installed_at"), ("support_tickets", "created_at") })
            Assert.True(await Long($"SELECT count(*) FROM {table} WHERE {column} > {Anchor}") == 0, $"{table}.{column}");
        Assert.Equal(0, await Long($"SELECT count(*) FROM customers WHERE birthday > CAST({Anchor} AS DATE) - INTERVAL '18 years'"));
        Assert.Equal(0, await Long("SELECT count(*) FROM subscriptions WHERE cancelled_at < started_at"));
        Assert.Equal(0, await Long("SELECT count(*) FROM web_visitors WHERE last_seen_at < first_seen_at"));
        // Renewals are the one thing in the future.
        Assert.True(await Long($"SELECT count(*) FROM subscriptions WHERE renews_at > {Anchor}") > 0);
    }

    [Fact]
    public async Task Orders_add_up_and_match_their_events()
    {
        Assert.Equal(0, await Long("SELECT count(*) FROM orders o JOIN (SELECT order_id, sum(quantity * unit_price) t FROM order_items GROUP BY 1) i USING (order_id) WHERE i.t <> o.total"));
        Assert.Equal(0, await Long("SELECT count(*) FROM order_items i LEFT JOIN products p USING (product_id) WHERE p.product_id IS NULL"));
        Assert.Equal(await Long("SELECT count(*) FROM orders"), await Long(
            "SELECT count(*) FROM orders o JOIN events e ON e.order_id = o.order_id AND e.event = 'Order Completed' AND e.revenue = o.total AND e.occurred_at = o.ordered_at AND e.customer_id = o.customer_id"));
        // Every order comes after the customer signed up and after its session's cart and checkout.
        Assert.Equal(0, await Long("SELECT count(*) FROM orders o JOIN customers c USING (customer_id) WHERE o.ordered_at <= c.signup_at"));
    }

    [Fact]
    public async Task Activity_is_heavy_tailed_with_customers_who_never_did_anything()
    {
        var none = await Long("SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.customer_id = c.customer_id)");
        Assert.InRange(none, 60, 400);
        var top10 = Convert.ToDouble(await W.ScalarAsync("""
            WITH c AS (SELECT customer_id, count(*) n FROM events GROUP BY 1),
                 r AS (SELECT n, row_number() OVER (ORDER BY n DESC) rk FROM c)
            SELECT CAST((SELECT sum(n) FROM r WHERE rk <= 200) AS DOUBLE) / (SELECT sum(n) FROM c)
            """), CultureInfo.InvariantCulture);
        Assert.InRange(top10, 0.3, 0.6);
        Assert.True(await Long("SELECT max(n) FROM (SELECT count(*) n FROM events GROUP BY customer_id)") > 300);
    }

    [Fact]
    public async Task Weekends_and_late_November_are_busier()
    {
        var weekend = await Long("SELECT count(*) FROM events WHERE event IN ('Page Viewed', 'App Opened') AND dayofweek(occurred_at) IN (0, 6)");
        var weekday = await Long("SELECT count(*) FROM events WHERE event IN ('Page Viewed', 'App Opened') AND dayofweek(occurred_at) BETWEEN 1 AND 5");
        Assert.True(weekend / 2.0 > weekday / 5.0 * 1.03, $"weekend {weekend}, weekdays {weekday}");
        var lateNovember = await Long("SELECT count(*) FROM events WHERE event IN ('Page Viewed', 'App Opened') AND month(occurred_at) = 11 AND day(occurred_at) BETWEEN 20 AND 30 AND year(occurred_at) < 2026");
        var januaryFebruary = await Long("SELECT count(*) FROM events WHERE event IN ('Page Viewed', 'App Opened') AND month(occurred_at) IN (1, 2) AND year(occurred_at) < 2026");
        Assert.True(lateNovember / 22.0 > januaryFebruary / 118.0 * 1.1, $"late November {lateNovember}, January-February {januaryFebruary}");
    }

    [Fact]
    public async Task Segments_the_demo_audiences_need_exist()
    {
        var churned = await Long($"SELECT count(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING max(ordered_at) < {Anchor} - INTERVAL '180 days')");
        var cartsToday = await Long($"SELECT count(DISTINCT customer_id) FROM events WHERE event = 'Added to Cart' AND occurred_at >= {Anchor} - INTERVAL '24 hours'");
        var neverBought = await Long("SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)");
        Assert.True(churned > 20, $"lapsed buyers: {churned}");
        Assert.True(cartsToday > 0, "carts in the last 24 hours");
        Assert.True(neverBought > 500, $"never bought: {neverBought}");
    }

    [Fact]
    public async Task Every_identity_record_maps_to_exactly_one_person()
    {
        foreach (var (source, key) in new[] { ("customers", "customer_id"), ("newsletter_subscribers", "subscriber_id"), ("crm_contacts", "contact_id"),
                     ("web_visitors", "visitor_id"), ("app_users", "app_user_id"), ("support_tickets", "ticket_id") })
        {
            Assert.Equal(await Long($"SELECT count(*) FROM {source}"), await Long($"SELECT count(*) FROM identity_truth WHERE source = '{source}'"));
            Assert.Equal(0, await Long($"SELECT count(*) FROM {source} s LEFT JOIN identity_truth t ON t.source = '{source}' AND t.record_id = s.{key} WHERE t.person_id IS NULL"));
        }
        // Customers are their own people; prospects (person_id beyond the customers) have no customer_id.
        Assert.Equal(0, await Long("SELECT count(*) FROM identity_truth WHERE source = 'customers' AND person_id <> record_id"));
        Assert.Equal(0, await Long("SELECT count(*) FROM identity_truth WHERE (person_id <= 2000) <> (customer_id IS NOT NULL)"));
        Assert.True(await Long("SELECT count(DISTINCT person_id) FROM identity_truth WHERE customer_id IS NULL") > 300);
        // A customer_id written in a source is always the true person.
        foreach (var (source, key) in new[] { ("newsletter_subscribers", "subscriber_id"), ("web_visitors", "visitor_id"), ("app_users", "app_user_id") })
            Assert.Equal(0, await Long($"SELECT count(*) FROM {source} s JOIN identity_truth t ON t.source = '{source}' AND t.record_id = s.{key} WHERE s.customer_id <> t.person_id"));
    }

    [Fact]
    public async Task Identity_sources_hold_variants_typos_and_junk()
    {
        const string Emails = "(SELECT email FROM crm_contacts UNION ALL SELECT email FROM support_tickets UNION ALL SELECT email FROM web_visitors UNION ALL SELECT email FROM app_users UNION ALL SELECT email FROM newsletter_subscribers)";
        Assert.True(await Long($"SELECT count(*) FROM {Emails} WHERE email = 'test@test.com'") > 1);
        Assert.True(await Long($"SELECT count(*) FROM {Emails} WHERE email LIKE '%+shop@gmail.com'") > 0);
        Assert.True(await Long($"SELECT count(*) FROM {Emails} WHERE email LIKE '%@gmial.com'") > 0);
        Assert.True(await Long($"SELECT count(*) FROM {Emails} WHERE email <> trim(email)") > 0);
        Assert.True(await Long($"SELECT count(*) FROM {Emails} WHERE email <> lower(email) AND email LIKE '%@%'") > 0);
        Assert.True(await Long("SELECT count(*) FROM support_tickets WHERE phone = '000-000-0000'") > 0);
        Assert.True(await Long("SELECT count(*) FROM crm_contacts WHERE phone LIKE '(%) %-%'") > 0);
        // Shared devices: one device id, several real people.
        Assert.True(await Long("""
            SELECT max(people) FROM (
                SELECT w.device_id, count(DISTINCT t.person_id) AS people
                FROM web_visitors w JOIN identity_truth t ON t.source = 'web_visitors' AND t.record_id = w.visitor_id
                GROUP BY 1)
            """) > 2);
        // Several e-mail addresses and devices per person.
        Assert.True(await Long("""
            SELECT count(*) FROM (
                SELECT t.person_id FROM crm_contacts c JOIN identity_truth t ON t.source = 'crm_contacts' AND t.record_id = c.contact_id
                GROUP BY 1 HAVING count(DISTINCT lower(trim(c.email))) > 1)
            """) > 0);
    }
}
