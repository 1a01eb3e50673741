using Cohort.Core.Diagnostics;
using Cohort.Core.Identity;
using Cohort.Identity;
using Cohort.Server.Projects;
using Microsoft.Extensions.DependencyInjection;

namespace Cohort.Server.Tests.Infrastructure;

/// <summary>
/// Runs identity resolution (the real engine) over two small tables, <c>idp_people</c> and <c>idp_orders</c>, created
/// in a test server's own warehouse. People 1 and 2 and order o-1 become one profile (email and phone); person 3 and
/// order o-2 share only a blocked email; person 4 is alone.
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
        """;

    public static async Task RunAsync(RunningServer server)
    {
        var warehouse = await server.Services.GetRequiredService<ProjectState>().WarehouseAsync();
        await warehouse.ExecuteScriptAsync("""
            CREATE TABLE idp_people (id BIGINT, email VARCHAR, phone VARCHAR);
            CREATE TABLE idp_orders (order_id VARCHAR, buyer_email VARCHAR);
            """);
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
}
