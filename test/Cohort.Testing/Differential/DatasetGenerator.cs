using System.Collections.Immutable;
using Cohort.Testing.Reference;
using CsCheck;
using static Cohort.Testing.Differential.GenHelpers;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, object?>;

namespace Cohort.Testing.Differential;

/// <summary>
/// Random datasets over <see cref="TestSchema"/>: 0..40 people with 0..10 events, 0..4 orders and 0..2 signups each;
/// NULLs in every nullable column, duplicate event rows, duplicate order_items pairs, dangling keys, people with no
/// rows at all, unicode strings (combining marks, emoji, non-BMP, U+E000..U+FFFF, empty), and instants and dates from
/// <see cref="ValuePools"/> so that many sit exactly on (or a microsecond off) the edges conditions test.
/// Keys are assigned by position, so the generated structure shrinks freely.
/// </summary>
public static class DatasetGenerator
{
    private sealed record PersonDraft(ImmutableArray<(string Column, object? Value)> Columns, OrderDraft[] Orders, Row[] Events, Row[] Signups);

    private sealed record OrderDraft(object? Total, object? Status, object? CreatedAt, long[] Products);

    private static readonly ImmutableArray<long> ProductIds = [1, 2, 3, 4, 5, 6, 99];  // 99 dangles
    private static readonly ImmutableArray<long> AccountIds = [1, 2, 3, 99];           // 99 dangles

    public static Gen<ReferenceDataset> For(ValuePools pools)
    {
        var instant = Instant(pools);
        var date = Weighted(
            (8, Pick(pools.Dates)),
            (2, Gen.Int[-1200, 400].Select(k => pools.Today.AddDays(k))));

        Gen<object?> Str(ImmutableArray<string> pool) => OrNull(Pick(pool));
        Gen<object?> Dec(ImmutableArray<decimal> pool) => OrNull(Pick(pool));

        var tags = OrNull(Weighted((6, Pick(ValuePools.Tags).Select(t => (object?)t)), (1, Nothing<object>())).Array[0, 3]
            .Select(items => (IReadOnlyList<object?>)items));
        var person = Gen.Select(
            Str(ValuePools.Names), Str(ValuePools.Countries), OrNull(Pick(ValuePools.Ages).Select(a => (long)a)),
            Dec(ValuePools.Scores), OrNull(Gen.Bool), OrNull(date), OrNull(instant), tags, OrNull(Pick(AccountIds)),
            (name, country, age, score, vip, birthday, signup, t, account) => ImmutableArray.Create<(string, object?)>(
                ("name", name), ("country", country), ("age", age), ("score", score), ("vip", vip),
                ("birthday", birthday), ("signup_at", signup), ("tags", t), ("account_id", account)));

        var order = Gen.Select(
            Dec(ValuePools.Totals), Str(ValuePools.Statuses), OrNull(instant, 10), Pick(ProductIds).Array[0, 3],
            (total, status, created, products) => new OrderDraft(total, status, created, products));

        var evt = Gen.Select(
            Weighted((12, Pick(TestSchema.EventNames)), (1, Gen.Const("refund"))), OrNull(instant, 5), Dec(ValuePools.Amounts), Str(ValuePools.Channels),
            (name, ts, amount, channel) => (Row)ReferenceDataset.Row(("event", name), ("ts", ts), ("amount", amount), ("channel", channel)));

        var signup = Gen.Select(OrNull(instant, 5), Str(ValuePools.Sources),
            (ts, source) => (Row)ReferenceDataset.Row(("ts", ts), ("source", source)));

        // Some people repeat an event row exactly: duplicates count separately.
        var events = Gen.Select(evt.Array[0, 10], Gen.Int[0, 9], (rows, duplicates) =>
            duplicates >= 7 && rows.Length > 0 ? [.. rows, .. rows.Take(duplicates - 6)] : rows);

        var draft = Gen.Select(person, order.Array[0, 4], events, signup.Array[0, 2],
            (columns, orders, evs, signups) => new PersonDraft(columns, orders, evs, signups));

        var account = Gen.Select(Str(ValuePools.Plans), OrNull(Pick(ValuePools.Seats).Select(s => (long)s)), (plan, seats) => (plan, seats));
        var product = Gen.Select(Str(ValuePools.Categories), Dec(ValuePools.Prices), (category, price) => (category, price));
        var strays = Gen.Select(evt, OrNull(Gen.Const(999L), 50), (row, owner) => (row, owner)).Array[0, 2];

        return Gen.Select(draft.Array[0, 40], account.Array[3], product.Array[6], strays,
            (people, accounts, products, stray) => Assemble(people, accounts, products, stray));
    }

    /// <summary>Instants: mostly from the edge pool, some anywhere in the last ~400 days (a few after asOf).</summary>
    public static Gen<DateTime> Instant(ValuePools pools) => Weighted(
        (7, Pick(pools.Instants)),
        (3, Gen.Long[-30L * 86_400_000_000, 400L * 86_400_000_000].Select(us => pools.AsOf.AddTicks(-us * 10))));

    private static ReferenceDataset Assemble(
        PersonDraft[] people, (object? Plan, object? Seats)[] accounts, (object? Category, object? Price)[] products,
        (Row Row, object? Owner)[] strays)
    {
        var data = ReferenceDataset.Empty
            .With("accounts", accounts.Select((a, i) => ReferenceDataset.Row(("account_id", (long)(i + 1)), ("plan", a.Plan), ("seats", a.Seats))))
            .With("products", products.Select((p, i) => ReferenceDataset.Row(("product_id", (long)(i + 1)), ("category", p.Category), ("price", p.Price))));

        var peopleRows = new List<Row>();
        var orders = new List<Row>();
        var items = new List<Row>();
        var events = new List<Row>();
        var signups = new List<Row>();
        for (var i = 0; i < people.Length; i++)
        {
            long id = i + 1;
            var p = people[i];
            peopleRows.Add(ReferenceDataset.Row([("person_id", id), .. p.Columns]));
            foreach (var o in p.Orders)
            {
                long orderId = orders.Count + 1;
                orders.Add(ReferenceDataset.Row(("order_id", orderId), ("person_id", id), ("total", o.Total), ("status", o.Status), ("created_at", o.CreatedAt)));
                items.AddRange(o.Products.Select(product => ReferenceDataset.Row(("order_id", orderId), ("product_id", product))));
            }
            events.AddRange(p.Events.Select(e => WithOwner(e, id)));
            signups.AddRange(p.Signups.Select(s => WithOwner(s, id)));
        }
        // Rows nobody reaches: an order with no person, events of a person who does not exist (or of nobody).
        orders.Add(ReferenceDataset.Row(("order_id", (long)orders.Count + 1), ("person_id", null), ("total", 1m), ("status", "completed")));
        events.AddRange(strays.Select(s => WithOwner(s.Row, s.Owner)));

        return data.With("people", peopleRows).With("orders", orders).With("order_items", items)
            .With("events", events).With("signups", signups);
    }

    private static Row WithOwner(Row row, object? personId) =>
        ReferenceDataset.Row([("person_id", personId), .. row.Select(c => (c.Key, c.Value))]);
}
