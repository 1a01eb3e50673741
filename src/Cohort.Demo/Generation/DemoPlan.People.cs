using static Cohort.Demo.Generation.SqlText;

namespace Cohort.Demo.Generation;

internal sealed partial class DemoPlan
{
    /// <summary>
    /// Everyone in the data: customers (person_id 1..N, the same as their customer_id) and prospects (N+1..),
    /// who appear only in identity sources. Holds each person's true attributes; the public tables show them
    /// with gaps, variants and typos.
    /// </summary>
    private string People()
    {
        var r = Random("people");
        var countries = Vocabulary.Countries;
        string ByCountry(Func<Country, string> sql) => LookupText("country", countries.Select(c => (c.Code, sql(c))));

        string Names(Func<(string Name, string Upper, string Ascii), string> part, (string Name, string Upper, string Ascii)[] list, string stream) =>
            Pick([.. list.Select(part)], r[stream]);

        var local = WeightedSql(
        [
            ("first_ascii || '.' || last_ascii", 30), ("first_ascii || last_ascii", 20), ("substr(first_ascii, 1, 1) || last_ascii", 15),
            ("first_ascii || '_' || last_ascii", 10), ("first_ascii", 15), ("last_ascii || '.' || first_ascii", 10),
        ], r["email_pattern"]);
        var localWork = WeightedSql([("first_ascii || '.' || last_ascii", 60), ("substr(first_ascii, 1, 1) || last_ascii", 40)], r["email2_pattern"]);
        var domain = WeightedSql(
            [.. Vocabulary.MailDomains.Select(d => (Str(d.Domain), d.Weight)),
             (LookupText("country", Vocabulary.NationalMailDomains.Select(n => (n.Country, Str(n.Domain)))), 20)],
            r["email_domain"]);

        string Postal(Country c) => c.Postal switch
        {
            PostalStyle.FourDigits => Digits($"2000 + {Below(r["postal_a"], 7000)}", 4),
            PostalStyle.British => $"{Pick(Vocabulary.BritishOutwardCodes, r["postal_a"])} || ' ' || CAST(1 + {Below(r["postal_b"], 9)} AS VARCHAR) || substr('ABDEFGHJLNPQRSTUWXYZ', CAST(1 + {Below(r["postal_b"], 20)} AS INTEGER), 1) || substr('ABDEFGHJLNPQRSTUWXYZ', CAST(1 + {Below(r["postal_c"], 20)} AS INTEGER), 1)",
            PostalStyle.Canadian => $"{Pick(["M", "K", "H", "V", "T"], r["postal_a"])} || CAST({Below(r["postal_b"], 10)} AS VARCHAR) || substr('ABCEGHJKLMNPRSTVXY', CAST(1 + {Below(r["postal_c"], 18)} AS INTEGER), 1) || ' ' || CAST({Below(r["postal_c"], 10)} AS VARCHAR) || substr('ABCEGHJKLMNPRSTVXY', CAST(1 + {Below(r["postal_b"], 18)} AS INTEGER), 1) || CAST({Below(r["postal_a"], 10)} AS VARCHAR)",
            PostalStyle.Dutch => $"{Digits($"1000 + {Below(r["postal_a"], 8999)}", 4)} || ' ' || substr('ABCDEGHJKLMNPRSTVWXZ', CAST(1 + {Below(r["postal_b"], 20)} AS INTEGER), 1) || substr('ABCDEGHJKLMNPRSTVWXZ', CAST(1 + {Below(r["postal_c"], 20)} AS INTEGER), 1)",
            PostalStyle.Swedish => $"{Digits($"100 + {Below(r["postal_a"], 890)}", 3)} || ' ' || {Digits(Below(r["postal_b"], 100), 2)}",
            PostalStyle.Irish => $"{Pick(["D02", "D04", "D06", "D08", "T12", "H91", "V94"], r["postal_a"])} || ' ' || substr('ACDEFHKNPRTVWXY', CAST(1 + {Below(r["postal_b"], 15)} AS INTEGER), 1) || {Digits(Below(r["postal_c"], 1000), 3)}",
            _ => Digits($"1000 + {Below(r["postal_a"], 98000)}", 5),
        };

        // National numbers are unique per person: 7919 is coprime with every power of ten used.
        string National(Country c)
        {
            var (low, span) = c.CallingCode == "1" ? (2_000_000L, 8_000_000L) : (0L, (long)Math.Pow(10, c.SubscriberDigits));
            return $"{Pick(c.NumberPrefixes, r["phone_prefix"])} || {Digits($"{low} + (person_id * 7919 + 104729) % {span}", c.SubscriberDigits)}";
        }

        var source = $"(SELECT CAST(g.person_id AS BIGINT) AS person_id FROM generate_series(1, {_o.People}) AS g(person_id))";
        var names = $"""
            SELECT x.*,
                {Names(n => n.Name, Vocabulary.FirstNames, "first")} AS first_name,
                {Names(n => n.Upper, Vocabulary.FirstNames, "first")} AS first_upper,
                {Names(n => n.Ascii, Vocabulary.FirstNames, "first")} AS first_ascii,
                {Names(n => n.Name, Vocabulary.LastNames, "last")} AS last_name,
                {Names(n => n.Upper, Vocabulary.LastNames, "last")} AS last_upper,
                {Names(n => n.Ascii, Vocabulary.LastNames, "last")} AS last_ascii,
                {Weighted([.. countries.Select(c => (c.Code, c.Weight))], r["country"])} AS country
            FROM {r.Over(source, "person_id")} AS x
            """;
        var parts = $"""
            SELECT y.*,
                {local} || CAST(person_id AS VARCHAR) AS email_local,
                {domain} AS email_domain,
                CASE WHEN {Chance(r["email2"], 0.35)} THEN {localWork} || CAST(person_id + 17 AS VARCHAR) || '@' || {Pick(Vocabulary.WorkDomains, r["email2_domain"])} END AS email2,
                {ByCountry(c => Str(c.CallingCode))} AS calling_code,
                {ByCountry(National)} AS phone_national
            FROM ({names}{F}) AS y
            """;
        return r.Bind($"""
            INSERT INTO _demo_people
            SELECT person_id, person_id <= {_o.Customers},
                first_name, first_upper, last_name, last_upper, country,
                {ByCountry(c => Pick(c.Cities, r["city"]))},
                CAST(1 + {Below(r["street_number"], 240)} AS VARCHAR) || ' ' || {Pick(Vocabulary.Streets, r["street"])},
                {ByCountry(Postal)},
                email_local, email_domain, email_local || '@' || email_domain, email2,
                calling_code, phone_national, '+' || calling_code || phone_national,
                CAST({_anchor} - CAST(6600 + {Below(r["birthday_a"], 9000)} + {Below(r["birthday_b"], 7000)} AS BIGINT) * INTERVAL '1 day' AS DATE),
                {WeightedInt([(1, 50), (2, 35), (3, 15)], r["devices"])},
                {Weighted([("ios", 55), ("android", 45)], r["platform"])}
            FROM ({parts}{F}) AS z
            ORDER BY person_id
            """);
    }

    /// <summary>
    /// Hidden per-customer behaviour: when they signed up (more recently more often), whether and when they churned,
    /// how intensely they shop (heavy-tailed), whether they buy, use the app, read e-mail, subscribe.
    /// </summary>
    private string Activity()
    {
        var r = Random("activity");
        var history = DemoCalendar.HistoryDays;
        // Sessions per active day: Pareto with alpha 2 (1/sqrt(u)), capped at 1.2 a day. The 3% of customers with
        // the highest intensity are the VIPs the CRM has tagged.
        var intensity = $"least({Dbl(1.2)}, {Dbl(BaseIntensity)} / sqrt({Unit(r["intensity"])}))";
        var lastTuesday = LastTuesdayDaysAgo();
        const string source = "(SELECT p.person_id AS customer_id FROM _demo_people AS p WHERE p.is_customer)";
        var first = $"""
            SELECT x.*,
                {Floor($"{history} * (1 - sqrt({Unit(r["signup"])}))")} AS signup_days,
                {Below(r["signup_time"], Day)} AS signup_second,
                NOT {Chance(r["no_email"], 0.02)} AS has_email,
                NOT {Chance(r["no_activity"], 0.07)} AS active,
                {Chance(r["churn"], 0.32)} AS churn_draw,
                {intensity} AS intensity,
                {Chance(r["intensity"], 0.03)} AS vip,
                {Chance(r["app"], 0.35)} AS has_app,
                {WeightedSql([("TRUE", 0.62), ("FALSE", 0.355), ("NULL", 0.025)], r["consent"])} AS email_consent,
                CASE WHEN {Chance(r["reader"], 0.3)} THEN {Dbl(0)} ELSE {Dbl(0.05)} + {Dbl(0.85)} * {Unit0(r["open_rate"])} * {Unit0(r["open_rate"])} END AS open_rate
            FROM {r.Over(source, "customer_id")} AS x
            """;
        var second = $"""
            SELECT f.*,
                CASE WHEN churn_draw AND signup_days >= 2 THEN 1 + {r["churn_day"]} % (signup_days - 1) ELSE 0 END AS end_days,
                CASE WHEN signup_days > {lastTuesday} THEN {Floor($"CAST(signup_days - {lastTuesday} AS FLOAT8) / 7")} ELSE 0 END AS email_weeks
            FROM ({first}{F}) AS f
            """;
        return r.Bind($"""
            INSERT INTO _demo_activity
            SELECT customer_id, has_email, signup_days, signup_days * {Day} + signup_second, end_days, end_days > 0, vip, has_app, email_consent,
                CASE WHEN active AND signup_days > end_days
                     THEN least(3000, greatest(1, {Floor($"(signup_days - end_days) * intensity / {Dbl(AverageDayWeight)}")}))
                     ELSE 0 END,
                CASE WHEN email_consent IS TRUE AND has_email THEN {Floor("email_weeks * open_rate")} ELSE 0 END,
                email_weeks,
                {WeightedInt([(0, 18), (Threshold(0.62), 50), (Threshold(0.78), 25), (Threshold(0.9), 7)], r["buyer"])},
                CASE WHEN has_app THEN {Threshold(0.7)} ELSE {Threshold(0.04)} END,
                {RandomCategory(r["favourite"])},
                CASE WHEN NOT active THEN 0
                     WHEN {Chance(r["subscription"], 0.02)} THEN 2
                     WHEN vip AND {Chance(r["subscription_vip"], 0.35)} THEN 1
                     WHEN {Chance(r["subscription_any"], 0.10)} THEN 1
                     ELSE 0 END
            FROM ({second}{F}) AS s
            ORDER BY customer_id
            """);
    }

    /// <summary>Mean sessions per active day before the calendar thins them (the Pareto minimum is this value).</summary>
    private const double BaseIntensity = 0.013;

    /// <summary>The calendar keeps about this fraction of drawn sessions; budgets are divided by it.</summary>
    private const double AverageDayWeight = 0.62;

    private long LastTuesdayDaysAgo()
    {
        var today = DateOnly.FromDateTime(_o.AnchorUtc);
        return ((int)today.DayOfWeek - (int)DayOfWeek.Tuesday + 7) % 7;
    }

    private string Customers()
    {
        var r = Random("customers");
        var source = """
            (SELECT p.*, a.has_email, a.signup_secs_ago, a.vip, a.has_app, a.email_consent, a.session_budget
             FROM _demo_people AS p JOIN _demo_activity AS a ON a.customer_id = p.person_id)
            """;
        string Tag(string name, string when) => $"CASE WHEN {when} THEN CAST(ARRAY[{Str(name)}] AS VARCHAR[]) ELSE CAST(ARRAY[] AS VARCHAR[]) END";
        var tags = string.Join(" || ",
            Tag("vip", "vip"),
            Tag("beta", Chance(r["tag_beta"], 0.06)),
            Tag("wholesale", Chance(r["tag_wholesale"], 0.02)),
            Tag("influencer", Chance(r["tag_influencer"], 0.01)),
            Tag("employee", Chance(r["tag_employee"], 0.005)));
        var select = $"""
            SELECT person_id,
                first_name, last_name,
                CASE WHEN has_email THEN email END,
                CASE WHEN {Chance(r["no_phone"], 0.3)} THEN NULL ELSE phone END,
                CASE WHEN {Chance(r["no_address"], 0.08)} THEN NULL ELSE street END,
                city,
                CASE WHEN {Chance(r["no_address"], 0.08)} THEN NULL ELSE postal_code END,
                country,
                CASE WHEN {Chance(r["no_birthday"], 0.12)} THEN NULL ELSE birthday END,
                {Ago("signup_secs_ago")},
                CASE WHEN vip THEN {Weighted([("free", 30), ("plus", 40), ("premium", 30)], r["plan"])}
                     ELSE {Weighted([("free", 64), ("plus", 27), ("premium", 9)], r["plan"])} END,
                email_consent,
                {WeightedSql([("TRUE", 0.3), ("FALSE", 0.68), ("NULL", 0.02)], r["sms"])},
                CASE WHEN has_app THEN {Chance(r["push"], 0.7)} ELSE FALSE END,
                CASE WHEN {Chance(r["untagged"], 0.15)} AND NOT vip THEN NULL ELSE {tags} END,
                {Weighted([("organic", 30), ("paid_search", 22), ("social", 18), ("referral", 10), ("email", 8), ("affiliate", 7), ("direct", 5)], r["channel"])},
                CAST(session_budget * 20 + {Below(r["points"], 100)} AS INTEGER)
            FROM {r.Over(source, "person_id")} AS x
            ORDER BY person_id
            """;
        return r.Bind("INSERT INTO customers\n" + select);
    }

    private string Products()
    {
        var r = Random("products");
        var blocks = ProductBlocks();
        var category = "(CASE" + string.Concat(Vocabulary.Categories.Select((c, i) =>
            $" WHEN g.product_id < {blocks[i].First + blocks[i].Count} THEN {c.Id}")) + " END)";
        var source = $"(SELECT CAST(g.product_id AS BIGINT) AS product_id, {category} AS category_id FROM generate_series(1, {_o.Products}) AS g(product_id))";
        var noun = Lookup("category_id", Vocabulary.Categories.Select(c => ((long)c.Id, c.Nouns)), n => Pick(n, r["noun"]));
        var cents = Lookup("category_id", Vocabulary.Categories.Select(c => ((long)c.Id, c)),
            c => $"({c.MinCents} + {Below(r["price"], c.MaxCents - c.MinCents)})");
        return r.Bind($"""
            INSERT INTO products
            SELECT product_id,
                {Pick(Vocabulary.Adjectives, r["adjective"])} || ' ' || {noun}
                    || CASE WHEN {Chance(r["coloured"], 0.5)} THEN ' (' || {Pick(Vocabulary.Colours, r["colour"])} || ')' ELSE '' END,
                category_id,
                {Pick(Vocabulary.Brands, r["brand"])},
                {Money($"({cents} - {cents} % 100 + 99)")},
                NOT {Chance(r["retired"], 0.04)},
                {Ago($"{30 * Day} + {Below(r["created"], 1400 * Day)}")}
            FROM {r.Over(source, "product_id")} AS x
            ORDER BY product_id
            """);
    }
}
