using Cohort.Core.Diagnostics;
using Cohort.Core.Identity;
using Cohort.Identity;
using Cohort.Server.Projects;
using Cohort.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cohort.Server.Tests.Infrastructure;

/// <summary>
/// Runs identity resolution (the real engine) over two small tables, <c>idp_people</c> and <c>idp_orders</c>, created
/// in a test server's own warehouse. People 1 and 2 and order o-1 become one profile (email and phone); person 3 and
/// order o-2 share only a blocked email; person 4 is alone. A third table, <c>idm_people</c>, has 150 people seen twice
/// with different e-mails, so only probabilistic matching (the <c>matching:</c> part) can join their records.
/// </summary>
public static class IdentitySeed
{
    internal const string Rules = """
        identifiers:
          email: {gmail: true, strip_plus: true, blocked: [test@test.com]}
          phone: {default_region: US}
        priority: [email, phone]
        sources:
          idp_people:
            table: idp_people
            key: id
            columns: {email: email, phone: phone}
          idp_orders:
            table: idp_orders
            key: order_id
            columns: {buyer_email: email}
          idm_people:
            table: idm_people
            key: id
            columns: {email: email}
        matching:
          threshold: 0.99
          fields:
            first_name: {columns: {idm_people: first}, normalize: name, compare: [exact, {jaro_winkler: 0.9}], term_frequency: true}
            last_name: {columns: {idm_people: last}, normalize: name, compare: [exact, phonetic, {jaro_winkler: 0.88}], term_frequency: true}
            birth_date: {columns: {idm_people: dob}, normalize: date, compare: [exact, {levenshtein: 1}]}
            zip: {columns: {idm_people: zip}, normalize: code, compare: [exact]}
          blocking:
            - [last_name, zip]
            - [birth_date]
            - [first_name, phonetic(last_name)]
        """;

    private static readonly string[] Firsts = ["olivia", "liam", "emma", "noah", "ava", "elijah", "sophia", "james", "isabella", "lucas", "mia", "mason", "amelia", "ethan", "harper"];
    private static readonly string[] Lasts = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez", "lopez", "wilson", "anderson", "taylor", "moore"];

    /// <summary>Two records per person, different e-mails; every tenth second record lacks a birth date (evidence, not proof).</summary>
    private static List<object?[]> MatchedPeople()
    {
        var random = new Random(7);
        var rows = new List<object?[]>();
        for (var p = 0; p < 150; p++)
        {
            var (first, last) = (Firsts[random.Next(Firsts.Length)], Lasts[random.Next(Lasts.Length)]);
            var dob = $"19{random.Next(40, 99)}-{random.Next(1, 13):00}-{random.Next(1, 29):00}";
            var zip = $"{random.Next(10000, 10030)}";
            rows.Add([2L * p + 1, $"p{p}a@mail.example", first, last, dob, zip]);
            rows.Add([2L * p + 2, $"p{p}b@mail.example", first.ToUpperInvariant(), " " + last, p % 10 == 2 ? null : dob, zip]);
        }
        return rows;
    }

    public static async Task RunAsync(RunningServer server)
    {
        var warehouse = await server.Services.GetRequiredService<ProjectState>().WarehouseAsync();
        await warehouse.ExecuteScriptAsync("""
            CREATE TABLE idp_people (id BIGINT, email VARCHAR, phone VARCHAR);
            CREATE TABLE idp_orders (order_id VARCHAR, buyer_email VARCHAR);
            CREATE TABLE idm_people (id BIGINT, email VARCHAR, first VARCHAR, last VARCHAR, dob VARCHAR, zip VARCHAR);
            """);
        await warehouse.BulkLoadAsync("idm_people", ["id", "email", "first", "last", "dob", "zip"], MatchedPeople());
        await warehouse.BulkLoadAsync("idp_people", ["id", "email", "phone"], [
            [1L, "ada.lovelace@gmail.com", "(415) 555-0123"],
            [2L, null, "+1 415 555 0123"],
            [3L, "test@test.com", null],
            [4L, "grace@example.com", null],
        ]);
        await warehouse.BulkLoadAsync("idp_orders", ["order_id", "buyer_email"], [
            ["o-1", "AdaLovelace+shop@googlemail.com"],
            ["o-2", "test@test.com"],
        ]);
        var bag = new DiagnosticBag();
        var rules = IdentityReader.ReadText(Rules, null, bag);
        Assert.Empty(bag.Items);
        await new IdentityEngine(warehouse, rules!, TimeProvider.System).RunAsync();
    }

    /// <summary>
    /// A pair scored by probabilistic matching with <paramref name="status"/> (<c>linked</c>: in one profile;
    /// otherwise in two), as <c>source:key</c>, the highest match weight first.
    /// </summary>
    public static async Task<(string A, string B)> ScoredPairAsync(RunningServer server, string status)
    {
        var warehouse = await server.Services.GetRequiredService<ProjectState>().WarehouseAsync();
        var rows = await warehouse.ReadAllAsync($"""
            SELECT p.source_a, p.key_a, p.source_b, p.key_b FROM cohort_state.identity_pairs AS p
            JOIN cohort_state.identity_records AS ra ON ra.source = p.source_a AND ra.record_key = p.key_a
            JOIN cohort_state.identity_records AS rb ON rb.source = p.source_b AND rb.record_key = p.key_b
            WHERE p.status = $1 AND ra.cohort_id {(status == "linked" ? "=" : "<>")} rb.cohort_id
            ORDER BY p.match_weight DESC, p.key_a LIMIT 1
            """, (Sql.SqlParameterType.String, status));
        Assert.True(rows.Count == 1, $"the seed has a '{status}' pair");
        return ($"{rows[0][0]}:{rows[0][1]}", $"{rows[0][2]}:{rows[0][3]}");
    }
}
