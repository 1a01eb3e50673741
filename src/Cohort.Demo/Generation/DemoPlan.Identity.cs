using static Cohort.Demo.Generation.SqlText;

namespace Cohort.Demo.Generation;

/// <summary>The ways a source system can hold a person's e-mail address.</summary>
internal enum EmailForm
{
    Exact,
    Upper,
    Capitalised,
    Padded,
    PlusTag,
    Typo,
    Secondary,
    Junk,
    Missing,
}

internal enum PhoneForm
{
    E164,
    Spaced,
    National,
    Dashed,
    Dotted,
    DigitsOnly,
    International00,
    Junk,
    Missing,
}

/// <summary>
/// Identity fragments: the same people as seen by five other systems (newsletter, CRM, website, app, support), each
/// record with the person's identifiers in that system's formatting, with typos, gaps and junk. Every record of
/// every source is mapped to its real person in <c>identity_truth</c>. Each source is generated into a working table
/// that also holds person_id, then split into the public table and its truth rows.
/// </summary>
internal sealed partial class DemoPlan
{
    private static readonly string[] IdentityStaging = ["_demo_newsletter", "_demo_crm", "_demo_web", "_demo_app", "_demo_support"];

    /// <summary>An e-mail as a source system holds it, from the person's columns <c>email_local</c>, <c>email_domain</c>, <c>email</c>, <c>email2</c>.</summary>
    private static string Email(string r, params (EmailForm Form, double Weight)[] forms) =>
        WeightedSql([.. forms.Select(f => (EmailSql(f.Form, r), f.Weight))], r);

    private static string EmailSql(EmailForm form, string r) => form switch
    {
        EmailForm.Exact => "email",
        EmailForm.Upper => "upper(email)",
        EmailForm.Capitalised => "upper(substr(email, 1, 1)) || substr(email, 2)",
        EmailForm.Padded => "' ' || email || '  '",
        // Gmail ignores dots and everything after '+'; other providers only the '+' part.
        EmailForm.PlusTag => "CASE WHEN email_domain = 'gmail.com' THEN substr(email_local, 1, 2) || '.' || substr(email_local, 3) || '+shop@gmail.com' ELSE email_local || '+news@' || email_domain END",
        EmailForm.Typo => """
            CASE email_domain WHEN 'gmail.com' THEN email_local || '@gmial.com' WHEN 'hotmail.com' THEN email_local || '@hotmial.com'
                              WHEN 'yahoo.com' THEN email_local || '@yaho.com' WHEN 'outlook.com' THEN email_local || '@outlook.co'
                              ELSE substr(email_local, 1, 1) || substr(email_local, 3) || '@' || email_domain END
            """,
        EmailForm.Secondary => "coalesce(email2, email)",
        EmailForm.Junk => Pick(Vocabulary.JunkEmails, r),
        EmailForm.Missing => "NULL",
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    };

    /// <summary>A phone number as a source system holds it, from the person's <c>calling_code</c> and <c>phone_national</c>.</summary>
    private static string Phone(string r, params (PhoneForm Form, double Weight)[] forms) =>
        WeightedSql([.. forms.Select(f => (PhoneSql(f.Form, r), f.Weight))], r);

    private static string PhoneSql(PhoneForm form, string r) => form switch
    {
        PhoneForm.E164 => "'+' || calling_code || phone_national",
        PhoneForm.Spaced => "'+' || calling_code || ' ' || substr(phone_national, 1, 3) || ' ' || substr(phone_national, 4, 3) || ' ' || substr(phone_national, 7)",
        PhoneForm.National => "CASE WHEN calling_code = '1' THEN '(' || substr(phone_national, 1, 3) || ') ' || substr(phone_national, 4, 3) || '-' || substr(phone_national, 7) ELSE '0' || phone_national END",
        PhoneForm.Dashed => "substr(phone_national, 1, 3) || '-' || substr(phone_national, 4, 3) || '-' || substr(phone_national, 7)",
        PhoneForm.Dotted => "substr(phone_national, 1, 3) || '.' || substr(phone_national, 4, 3) || '.' || substr(phone_national, 7)",
        PhoneForm.DigitsOnly => "phone_national",
        PhoneForm.International00 => "'00' || calling_code || phone_national",
        PhoneForm.Junk => Pick(Vocabulary.JunkPhones, r),
        PhoneForm.Missing => "NULL",
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    };

    private static readonly (PhoneForm, double)[] CommonPhoneForms =
    [
        (PhoneForm.E164, 30), (PhoneForm.Spaced, 15), (PhoneForm.National, 20), (PhoneForm.Dashed, 8), (PhoneForm.Dotted, 4),
        (PhoneForm.DigitsOnly, 8), (PhoneForm.International00, 3), (PhoneForm.Junk, 2), (PhoneForm.Missing, 10),
    ];

    /// <summary>
    /// The records of one source: <c>record_count</c> per person, drawn from <paramref name="customerCounts"/> or
    /// <paramref name="prospectCounts"/>, numbered n = 1.. Each row carries the person's true attributes and, for
    /// customers, their activity. The caller's random streams are keyed by (person_id, n), so every record of a
    /// person differs.
    /// </summary>
    private string PersonSlots(string scope, (long, double)[] customerCounts, (long, double)[] prospectCounts, string where = "TRUE")
    {
        var r = Random(scope + ".count");
        return r.Bind($"""
            (SELECT c.*, CAST(g.n AS BIGINT) AS n
             FROM (SELECT p.*, CASE WHEN p.is_customer THEN {WeightedInt(customerCounts, r["count"])} ELSE {WeightedInt(prospectCounts, r["count"])} END AS record_count
                   FROM {r.Over(PeopleWithActivity, "person_id")} AS p{F}) AS c
             CROSS JOIN LATERAL generate_series(1, c.record_count) AS g(n)
             WHERE c.record_count > 0 AND {where})
            """);
    }

    /// <summary>When a person's record was created: after signup for customers, any time in the history for prospects.</summary>
    private static string CreatedSecsAgo(string r) =>
        $"CASE WHEN is_customer THEN {Floor($"signup_secs_ago * {Unit0(r)}")} + 300 ELSE {Below(r, DemoCalendar.HistoryDays * Day)} + 300 END";

    private const string PeopleWithActivity = """
        (SELECT p.*, a.signup_secs_ago, a.email_consent, a.has_app, a.session_budget, a.end_days
         FROM _demo_people AS p LEFT JOIN _demo_activity AS a ON a.customer_id = p.person_id)
        """;

    private string Newsletter()
    {
        var r = Random("newsletter");
        // A second subscription usually comes from another address of the same person.
        var email = $"""
            CASE WHEN n = 1 THEN {Email(r["email"], (EmailForm.Exact, 88), (EmailForm.Upper, 5), (EmailForm.Padded, 3), (EmailForm.PlusTag, 4))}
                 ELSE {Email(r["email"], (EmailForm.Secondary, 60), (EmailForm.PlusTag, 30), (EmailForm.Typo, 10))} END
            """;
        var slots = PersonSlots("newsletter", [(0, 40), (1, 55), (2, 5)], [(0, 50), (1, 47), (2, 3)]);
        var select = $"""
            CREATE TABLE _demo_newsletter AS
            SELECT row_number() OVER (ORDER BY secs_ago DESC, person_id, n) AS subscriber_id, person_id, email, customer_id, secs_ago, source, status
            FROM (
                SELECT person_id, n, {email} AS email,
                       CASE WHEN is_customer AND n = 1 AND {Chance(r["matched"], 0.9)} THEN person_id END AS customer_id,
                       {CreatedSecsAgo(r["created"])} AS secs_ago,
                       {Pick(Vocabulary.NewsletterSources, r["source"])} AS source,
                       CASE WHEN is_customer AND email_consent IS NOT TRUE THEN {Weighted([("unsubscribed", 85), ("subscribed", 15)], r["status"])}
                            ELSE {Weighted([("subscribed", 84), ("unsubscribed", 13), ("bounced", 3)], r["status"])} END AS status
                FROM {r.Over(slots, "person_id", "n")} AS s{F}
            ) AS x
            """;
        return r.Bind(select) + $"""
            ;
            INSERT INTO newsletter_subscribers
            SELECT subscriber_id, email, customer_id, {Ago("secs_ago")}, source, status FROM _demo_newsletter ORDER BY subscriber_id
            """;
    }

    private string CrmContacts()
    {
        var r = Random("crm");
        var slots = PersonSlots("crm", [(0, 30), (1, 55), (2, 13), (3, 2)], [(0, 50), (1, 45), (2, 5)]);
        var first = WeightedSql([("first_name", 80), ("first_upper", 8), ("first_name || ' '", 6), ("substr(first_name, 1, 1) || '.'", 6)], r["first"]);
        var last = WeightedSql([("last_name", 85), ("last_upper", 8), ("' ' || last_name", 7)], r["last"]);
        var email = Email(r["email"], (EmailForm.Exact, 60), (EmailForm.Upper, 6), (EmailForm.Capitalised, 6), (EmailForm.Padded, 4),
            (EmailForm.PlusTag, 6), (EmailForm.Typo, 5), (EmailForm.Secondary, 7), (EmailForm.Junk, 2), (EmailForm.Missing, 4));
        var postal = WeightedSql([("postal_code", 80), ("lower(postal_code)", 8), ("replace(postal_code, ' ', '')", 7), ("NULL", 5)], r["postal"]);
        var select = $"""
            CREATE TABLE _demo_crm AS
            SELECT row_number() OVER (ORDER BY secs_ago DESC, person_id, n) AS contact_id, person_id, first_name, last_name, email, phone, postal_code, secs_ago, updated_secs_ago
            FROM (
                SELECT person_id, n, {first} AS first_name, {last} AS last_name, {email} AS email,
                       {Phone(r["phone"], CommonPhoneForms)} AS phone, {postal} AS postal_code,
                       {CreatedSecsAgo(r["created"])} AS secs_ago, {Below(r["updated"], 30 * Day)} + 60 AS updated_secs_ago
                FROM {r.Over(slots, "person_id", "n")} AS s{F}
            ) AS x
            """;
        return r.Bind(select) + $"""
            ;
            INSERT INTO crm_contacts
            SELECT contact_id, first_name, last_name, email, phone, postal_code, {Ago("secs_ago")}, {Ago("least(secs_ago, updated_secs_ago)")}
            FROM _demo_crm ORDER BY contact_id
            """;
    }

    private string WebVisitors()
    {
        var r = Random("web");
        var slots = PersonSlots("web", [(0, 15), (1, 40), (2, 28), (3, 12), (4, 5)], [(0, 45), (1, 40), (2, 15)]);
        var browser = $"{Pick(["Chrome", "Chrome", "Safari", "Firefox", "Edge", "Samsung Internet"], r["browser"])} || ' on ' || {Pick(["Windows", "macOS", "iOS", "Android", "Linux"], r["os"])}";
        var select = $"""
            CREATE TABLE _demo_web AS
            SELECT row_number() OVER (ORDER BY secs_ago DESC, person_id, n) AS visitor_id, person_id, anonymous_id, customer_id, email, device_id, browser, secs_ago, last_secs_ago
            FROM (
                SELECT person_id, n, {Uuid("id_hash")} AS anonymous_id,
                       CASE WHEN is_customer AND {Chance(r["logged_in"], 0.7)} THEN person_id END AS customer_id,
                       CASE WHEN {Chance(r["form"], 0.15)} THEN {Email(r["email"], (EmailForm.Exact, 70), (EmailForm.Upper, 5), (EmailForm.Padded, 5), (EmailForm.PlusTag, 5), (EmailForm.Typo, 5), (EmailForm.Secondary, 5), (EmailForm.Junk, 5))} END AS email,
                       {Device("person_id", $"1 + {Below(r["device"], 3)} % device_count", Chance(r["shared"], 0.04), r["shared_pick"])} AS device_id,
                       {browser} AS browser,
                       {CreatedSecsAgo(r["created"])} AS secs_ago,
                       {Floor($"({CreatedSecsAgo(r["created"])}) * {Unit0(r["last_seen"])}")} + 30 AS last_secs_ago
                FROM (SELECT s0.*, {UuidHash("anon", "s0.person_id", "s0.n")} AS id_hash FROM {r.Over(slots, "person_id", "n")} AS s0{F}) AS s{F}
            ) AS x
            """;
        return r.Bind(select) + $"""
            ;
            INSERT INTO web_visitors
            SELECT visitor_id, anonymous_id, customer_id, email, device_id, browser, {Ago("secs_ago")}, {Ago("least(secs_ago, last_secs_ago)")}
            FROM _demo_web ORDER BY visitor_id
            """;
    }

    private string AppUsers()
    {
        var r = Random("app");
        var slots = PersonSlots("app", [(1, 80), (2, 20)], [(0, 97), (1, 3)], "(NOT c.is_customer OR c.has_app)");
        var select = $"""
            CREATE TABLE _demo_app AS
            SELECT row_number() OVER (ORDER BY secs_ago DESC, person_id, n) AS app_user_id, person_id, install_id, customer_id, device_id, platform, email, phone, secs_ago
            FROM (
                SELECT person_id, n, {Uuid("id_hash")} AS install_id,
                       CASE WHEN is_customer AND {Chance(r["logged_in"], 0.85)} THEN person_id END AS customer_id,
                       {Device("person_id", "1 + (n - 1) % device_count", Chance(r["shared"], 0.02), r["shared_pick"])} AS device_id,
                       platform,
                       CASE WHEN {Chance(r["has_email"], 0.6)} THEN {Email(r["email"], (EmailForm.Exact, 75), (EmailForm.Capitalised, 10), (EmailForm.PlusTag, 5), (EmailForm.Typo, 5), (EmailForm.Secondary, 5))} END AS email,
                       CASE WHEN {Chance(r["has_phone"], 0.3)} THEN {Phone(r["phone"], (PhoneForm.E164, 60), (PhoneForm.National, 25), (PhoneForm.Spaced, 15))} END AS phone,
                       {CreatedSecsAgo(r["created"])} AS secs_ago
                FROM (SELECT s0.*, {UuidHash("install", "s0.person_id", "s0.n")} AS id_hash FROM {r.Over(slots, "person_id", "n")} AS s0{F}) AS s{F}
            ) AS x
            """;
        return r.Bind(select) + $"""
            ;
            INSERT INTO app_users
            SELECT app_user_id, install_id, customer_id, device_id, platform, email, phone, {Ago("secs_ago")}
            FROM _demo_app ORDER BY app_user_id
            """;
    }

    private string SupportTickets()
    {
        var r = Random("support");
        var slots = PersonSlots("support", [(0, 72), (1, 17), (2, 6), (3, 3), (5, 2)], [(0, 93), (1, 7)]);
        var name = WeightedSql(
        [
            ("first_name || ' ' || last_name", 60), ("last_upper || ', ' || first_name", 10), ("first_name", 10),
            ("substr(first_name, 1, 1) || '. ' || last_name", 10), ("first_upper || ' ' || last_upper", 10),
        ], r["name"]);
        var email = Email(r["email"], (EmailForm.Exact, 62), (EmailForm.Upper, 5), (EmailForm.Padded, 5), (EmailForm.PlusTag, 3),
            (EmailForm.Typo, 6), (EmailForm.Secondary, 9), (EmailForm.Junk, 5), (EmailForm.Missing, 5));
        var phone = Phone(r["phone"], (PhoneForm.E164, 15), (PhoneForm.National, 15), (PhoneForm.Dashed, 8), (PhoneForm.DigitsOnly, 5),
            (PhoneForm.Spaced, 4), (PhoneForm.Junk, 8), (PhoneForm.Missing, 45));
        var select = $"""
            CREATE TABLE _demo_support AS
            SELECT row_number() OVER (ORDER BY secs_ago DESC, person_id, n) AS ticket_id, person_id, requester_name, email, phone, subject, channel, secs_ago
            FROM (
                SELECT person_id, n, {name} AS requester_name, {email} AS email, {phone} AS phone,
                       {Pick(Vocabulary.TicketSubjects, r["subject"])} AS subject,
                       {Weighted([("email", 55), ("chat", 30), ("phone", 15)], r["channel"])} AS channel,
                       {CreatedSecsAgo(r["created"])} AS secs_ago
                FROM {r.Over(slots, "person_id", "n")} AS s{F}
            ) AS x
            """;
        return r.Bind(select) + $"""
            ;
            INSERT INTO support_tickets
            SELECT ticket_id, requester_name, email, phone, subject, channel, {Ago("secs_ago")}
            FROM _demo_support ORDER BY ticket_id
            """;
    }

    private string IdentityTruth()
    {
        string From(string source, string staging, string id) =>
            $"SELECT {Str(source)}, {id}, person_id, CASE WHEN person_id <= {_o.Customers} THEN person_id END FROM {staging}";
        return "INSERT INTO identity_truth\n" + string.Join("\nUNION ALL\n",
            "SELECT 'customers', customer_id, customer_id, customer_id FROM customers",
            From("newsletter_subscribers", "_demo_newsletter", "subscriber_id"),
            From("crm_contacts", "_demo_crm", "contact_id"),
            From("web_visitors", "_demo_web", "visitor_id"),
            From("app_users", "_demo_app", "app_user_id"),
            From("support_tickets", "_demo_support", "ticket_id"));
    }
}
