using static Cohort.Demo.Generation.SqlText;

namespace Cohort.Demo.Generation;

internal sealed partial class DemoPlan
{
    /// <summary>
    /// Visits. Each customer gets <c>session_budget</c> candidate sessions on uniformly drawn days of their active
    /// window (signup to churn, or to now); a candidate is kept with the calendar's weight for its day, which gives
    /// the weekly cycle and the seasons. Each kept session has a funnel depth: 0 landing only, 1 viewed products,
    /// 2 added to cart, 3 started checkout, 4 ordered.
    /// </summary>
    private string Sessions()
    {
        // Drawing and thinning use their own streams, so the rest are computed only for the sessions kept. The
        // draws are the source of the second set of streams, so they are bound last.
        var draw = Random("session_draws");
        var r = Random("sessions");
        var source = """
            (SELECT a.customer_id, CAST(g.k AS BIGINT) AS k, a.end_days, a.signup_days - a.end_days AS window_days,
                    a.buy_threshold, a.app_threshold, a.fav_category
             FROM _demo_activity AS a CROSS JOIN LATERAL generate_series(1, a.session_budget) AS g(k)
             WHERE a.session_budget > 0)
            """;
        var drawn = $"""
            SELECT x.customer_id, x.k, x.buy_threshold, x.app_threshold, x.fav_category, x.{draw["keep"]} AS keep_draw,
                end_days + {draw["day"]} % window_days AS day_ago,
                {HourOfDay(draw["hour"])} * 3600 + {Below(draw["second"], 3600)} AS second_of_day
            FROM {draw.Over(source, "customer_id", "k")} AS x
            """;
        var kept = $"""
            SELECT d.customer_id, d.k, d.buy_threshold, d.app_threshold, d.fav_category, {SecondsAgo("d.day_ago", "d.second_of_day")} AS raw_secs_ago
            FROM ({drawn}{F}) AS d JOIN _demo_calendar AS c ON c.day_ago = d.day_ago
            WHERE {Below("d.keep_draw", 10_000)} < c.weight
            """;
        var timed = $"""
            (SELECT k1.*, CASE WHEN raw_secs_ago < {SessionLead} THEN raw_secs_ago + {Day} ELSE raw_secs_ago END AS start_secs_ago
             FROM ({kept}{F}) AS k1{F})
            """;
        var described = $"""
            SELECT t.*,
                CASE WHEN {Chance(r["favourite"], 0.6)} THEN fav_category ELSE {RandomCategory(r["category"])} END AS focus_category,
                CASE WHEN {r["channel"]} < app_threshold THEN 'app' ELSE 'web' END AS channel
            FROM {r.Over(timed, "customer_id", "k")} AS t
            """;
        return draw.Bind(r.Bind($"""
            INSERT INTO _demo_sessions
            SELECT customer_id, k, start_secs_ago, channel,
                CASE channel WHEN 'app' THEN {Weighted([("mobile", 88), ("tablet", 12)], r["device"])}
                             ELSE {Weighted([("desktop", 46), ("mobile", 44), ("tablet", 10)], r["device"])} END,
                CASE WHEN NOT {Chance(r["funnel_1"], 0.7)} THEN 0
                     WHEN NOT {Chance(r["funnel_2"], 0.4)} THEN 1
                     WHEN NOT {Chance(r["funnel_3"], 0.7)} THEN 2
                     WHEN {r["buy"]} >= buy_threshold THEN 3
                     ELSE 4 END,
                {Chance(r["second_page"], 0.5)},
                {Chance(r["second_product"], 0.4)},
                {Pick(Vocabulary.LandingPages, r["landing"])},
                focus_category,
                {ProductIn("focus_category", r["product"])},
                {ProductIn("focus_category", r["product_2"])},
                start_secs_ago - 720 - {Below(r["order_delay"], 240)},
                {WeightedInt([(1, 55), (2, 25), (3, 12), (4, 8)], r["items"])}
            FROM ({described}{F}) AS s
            """));
    }

    /// <summary>Sessions that reached an order, numbered in time order: order 1 is the oldest.</summary>
    private static string OrderSessions() => """
        INSERT INTO _demo_orders
        SELECT row_number() OVER (ORDER BY order_secs_ago DESC, customer_id, k), customer_id, k, order_secs_ago, item_count,
               channel, device, focus_category, focus_product
        FROM _demo_sessions
        WHERE depth = 4
        """;

    /// <summary>The first line is the product the session was about; further lines come from the same or another category.</summary>
    private string OrderItems()
    {
        var r = Random("order_items");
        const string source = """
            (SELECT o.order_id, CAST(g.j AS BIGINT) AS j, o.focus_category, o.focus_product
             FROM _demo_orders AS o CROSS JOIN LATERAL generate_series(1, o.item_count) AS g(j))
            """;
        var lines = $"""
            SELECT x.*, CASE WHEN {Chance(r["same_category"], 0.5)} THEN focus_category ELSE {RandomCategory(r["category"])} END AS line_category
            FROM {r.Over(source, "order_id", "j")} AS x
            """;
        return r.Bind($"""
            INSERT INTO order_items
            SELECT l.order_id * 10 + l.j, l.order_id, l.product_id, l.quantity, p.price
            FROM (SELECT y.order_id, y.j,
                         CASE WHEN y.j = 1 THEN y.focus_product ELSE {ProductIn("y.line_category", r["product"])} END AS product_id,
                         {WeightedInt([(1, 82), (2, 13), (3, 5)], r["quantity"])} AS quantity
                  FROM ({lines}{F}) AS y{F}) AS l
            JOIN products AS p ON p.product_id = l.product_id
            ORDER BY l.order_id, l.j
            """);
    }

    /// <summary>An order's total is the sum of its lines.</summary>
    private string Orders()
    {
        var r = Random("orders");
        return r.Bind($"""
            INSERT INTO orders
            SELECT x.order_id, x.customer_id, {Ago("x.order_secs_ago")},
                {Weighted([("completed", 92), ("refunded", 5), ("cancelled", 3)], r["status"])},
                t.total, x.item_count, x.channel,
                CASE WHEN {Chance(r["discount"], 0.18)} THEN {Pick(Vocabulary.DiscountCodes, r["code"])} END
            FROM {r.Over("_demo_orders", "order_id")} AS x
            JOIN (SELECT order_id, sum(quantity * unit_price) AS total FROM order_items GROUP BY order_id) AS t ON t.order_id = x.order_id
            ORDER BY x.order_id
            """);
    }

    private string Subscriptions()
    {
        var r = Random("subscriptions");
        const string source = """
            (SELECT a.customer_id, CAST(g.n AS BIGINT) AS n, a.signup_days, a.end_days, a.churned
             FROM _demo_activity AS a CROSS JOIN LATERAL generate_series(1, a.subscription_count) AS g(n)
             WHERE a.subscription_count > 0 AND a.signup_days > a.end_days)
            """;
        var drawn = $"""
            SELECT x.*,
                {Weighted([("club_monthly", 50), ("club_annual", 25), ("refill_box", 25)], r["plan"])} AS plan,
                (end_days + {r["start"]} % (signup_days - end_days)) * {Day} + {Below(r["start_time"], Day)} AS started_secs_ago,
                CASE WHEN churned THEN 'cancelled'
                     ELSE {Weighted([("active", 84), ("paused", 8), ("past_due", 4), ("cancelled", 4)], r["status"])} END AS status
            FROM {r.Over(source, "customer_id", "n")} AS x
            """;
        // A churned customer cancels on the day they leave (never before the subscription started); others at any time since.
        var cancelled = $"CASE WHEN churned THEN least(started_secs_ago, end_days * {Day} + {Below(r["cancel_time"], Day)}) ELSE {Floor($"started_secs_ago * {Unit0(r["cancel_day"])}")} END";
        var renews = $"""
            CASE WHEN status = 'active' AND plan = 'club_annual' THEN {Ahead($"{Below(r["renew"], 365 * Day)} + 60")}
                 WHEN status = 'active' THEN {Ahead($"{Below(r["renew"], 30 * Day)} + 60")}
                 WHEN status = 'past_due' THEN {Ahead($"{Day} + {Below(r["renew"], 3 * Day)}")}
            END
            """;
        return r.Bind($"""
            INSERT INTO subscriptions
            SELECT row_number() OVER (ORDER BY started_secs_ago DESC, customer_id, n), customer_id, plan, status,
                {Ago("started_secs_ago")},
                CASE WHEN status = 'cancelled' THEN {Ago(cancelled)} END,
                {renews},
                {LookupText("plan", [("club_monthly", Money("999")), ("club_annual", Money("825")), ("refill_box", Money("2400"))])}
            FROM ({drawn}{F}) AS d
            """);
    }

    private static string EventName(string slot, string channel) => $"""
        (CASE {slot} WHEN 0 THEN CASE {channel} WHEN 'app' THEN 'App Opened' ELSE 'Page Viewed' END
                     WHEN 1 THEN 'Page Viewed' WHEN 2 THEN 'Product Viewed' WHEN 3 THEN 'Product Viewed'
                     WHEN 4 THEN 'Added to Cart' ELSE 'Checkout Started' END)
        """;

    /// <summary>
    /// One row per step a session reached: slot 0 the landing page (or App Opened), 1 a second page, 2 and 3 product
    /// views, 4 add to cart, 5 checkout. Slot i happens 100*i to 100*i+89 seconds into the session, so steps are
    /// strictly ordered. Event ids are customer_id * 2^24 + session * 16 + slot.
    /// </summary>
    private string SessionEvents()
    {
        var r = Random("session_events");
        const string source = """
            (SELECT s.*, CAST(sl.slot AS BIGINT) AS slot
             FROM _demo_sessions AS s CROSS JOIN _demo_slots AS sl
             WHERE sl.slot = 0 OR (sl.slot = 1 AND s.second_page) OR (sl.slot = 2 AND s.depth >= 1)
                OR (sl.slot = 3 AND s.depth >= 1 AND s.second_product_view) OR (sl.slot = 4 AND s.depth >= 2) OR (sl.slot = 5 AND s.depth >= 3))
            """;
        return r.Bind($"""
            INSERT INTO events
            SELECT customer_id * 16777216 + k * 16 + slot, customer_id, {EventName("slot", "channel")},
                {Ago($"start_secs_ago - slot * 100 - {Below(r["jitter"], 90)}")},
                channel, device,
                CASE slot WHEN 0 THEN CASE channel WHEN 'app' THEN NULL ELSE landing_page END
                          WHEN 1 THEN '/c/' || {CategoryName("focus_category")}
                          WHEN 2 THEN '/p/' || CAST(focus_product AS VARCHAR)
                          WHEN 3 THEN '/p/' || CAST(second_product AS VARCHAR)
                          WHEN 4 THEN '/cart' ELSE '/checkout' END,
                CASE slot WHEN 2 THEN focus_product WHEN 3 THEN second_product WHEN 4 THEN focus_product END,
                CASE WHEN slot IN (1, 2, 3, 4) THEN {CategoryName("focus_category")} END,
                NULL, NULL, NULL
            FROM {r.Over(source, "customer_id", "k", "slot")} AS x
            """);
    }

    /// <summary>Order Completed carries the order's id and total, at the order's time.</summary>
    private static string OrderEvents() => $"""
        INSERT INTO events
        SELECT o.customer_id * 16777216 + o.k * 16 + 6, o.customer_id, 'Order Completed', d.ordered_at, o.channel, o.device,
               '/checkout/complete', o.focus_product, {CategoryName("o.focus_category")}, d.total, o.order_id, NULL
        FROM _demo_orders AS o JOIN orders AS d ON d.order_id = o.order_id
        """;

    /// <summary>
    /// Newsletter opens and clicks. The newsletter goes out every Tuesday at 10:00 UTC; a consenting reader opens
    /// a fraction of the issues since they signed up (their open rate), mostly within hours, sometimes days later,
    /// and clicks through one open in five.
    /// </summary>
    private string EmailEvents()
    {
        var r = Random("email_events");
        var lastTuesday = LastTuesdayDaysAgo();
        const string source = """
            (SELECT a.customer_id, CAST(g.m AS BIGINT) AS m, a.email_weeks
             FROM _demo_activity AS a CROSS JOIN LATERAL generate_series(1, a.email_budget) AS g(m)
             WHERE a.email_budget > 0)
            """;
        var opens = $"""
            SELECT x.customer_id, x.m, {lastTuesday} + 7 * ({r["week"]} % x.email_weeks) AS send_day_ago,
                   {Floor($"259200 * {Unit0(r["delay"])} * {Unit0(r["delay"])}")} AS open_delay,
                   {Chance(r["click"], 0.2)} AS clicked,
                   30 + {Below(r["click_delay"], 600)} AS click_delay,
                   {Weighted([("mobile", 62), ("desktop", 38)], r["device"])} AS device
            FROM {r.Over(source, "customer_id", "m")} AS x
            """;
        var timed = $"""
            SELECT o.*, c.campaign, {SecondsAgo("o.send_day_ago", "36000")} - o.open_delay AS open_secs_ago
            FROM ({opens}{F}) AS o JOIN _demo_calendar AS c ON c.day_ago = o.send_day_ago
            """;
        return r.Bind($"""
            INSERT INTO events
            SELECT t.customer_id * 16777216 + 8388608 + t.m * 2 + sl.slot, t.customer_id,
                   CASE sl.slot WHEN 0 THEN 'Email Opened' ELSE 'Email Clicked' END,
                   {Ago("t.open_secs_ago - sl.slot * t.click_delay")},
                   'email', t.device, NULL, NULL, NULL, NULL, NULL, t.campaign
            FROM ({timed}{F}) AS t CROSS JOIN _demo_slots AS sl
            WHERE (sl.slot = 0 OR (sl.slot = 1 AND t.clicked)) AND t.open_secs_ago - sl.slot * t.click_delay > 60
            """);
    }
}
