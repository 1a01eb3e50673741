using Cohort.Core.Audiences;
using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

// Section 7: sequences. asOf A = 2026-03-15T12:00Z; times below are on 2026-03-15 unless a date is given.
public static partial class OperatorExamples
{
    private static string At(string time) => $"2026-03-15T{time}Z";

    private static IEnumerable<OperatorExample> Sequences() =>
    [
        Ex("sequence_two_steps", "view then cart: 1 in order; 2 the wrong way round; 3 at the same instant; 4 no cart; 5 a later cart after its view.",
            PeopleWithIds(5).Events(
                Ev(1, "view", At("10:00:00")), Ev(1, "cart", At("10:30:00")),
                Ev(2, "cart", At("10:00:00")), Ev(2, "view", At("10:30:00")),
                Ev(3, "view", At("10:00:00")), Ev(3, "cart", At("10:00:00")),
                Ev(4, "view", At("10:00:00")),
                Ev(5, "view", At("09:00:00")), Ev(5, "cart", At("09:00:00")), Ev(5, "cart", At("09:30:00"))),
            Sequence([Step("view"), Step("cart")]), 1, 5),
        Ex("sequence_strictly_increasing", "Two steps at the same instant are not 'A then B'; a microsecond later is.",
            PeopleWithIds(2).Events(
                Ev(1, "view", At("10:00:00")), Ev(1, "cart", At("10:00:00")),
                Ev(2, "view", At("10:00:00")), Ev(2, "cart", At("10:00:00.000001"))),
            Sequence([Step("view"), Step("cart")]), 2),
        Ex("sequence_same_event_twice", "view then view needs two views at different instants.",
            PeopleWithIds(2).Events(
                Ev(1, "view", At("10:00:00")), Ev(1, "view", At("10:00:00")),
                Ev(2, "view", At("10:00:00")), Ev(2, "view", At("10:05:00"))),
            Sequence([Step("view"), Step("view")]), 2),
        Ex("sequence_three_steps", "view < cart < checkout: 1 yes; 2 checkout before cart; 3 only a cart before the view; 4 cart and checkout tie.",
            PeopleWithIds(4).Events(
                Ev(1, "view", At("09:00:00")), Ev(1, "cart", At("09:10:00")), Ev(1, "checkout", At("09:20:00")),
                Ev(2, "view", At("09:00:00")), Ev(2, "checkout", At("09:10:00")), Ev(2, "cart", At("09:20:00")),
                Ev(3, "cart", At("08:00:00")), Ev(3, "view", At("09:00:00")), Ev(3, "checkout", At("09:05:00")),
                Ev(4, "view", At("09:00:00")), Ev(4, "cart", At("09:10:00")), Ev(4, "checkout", At("09:10:00"))),
            Sequence([Step("view"), Step("cart"), Step("checkout")]), 1),
        Ex("sequence_gap_inclusive", "cart at most 1 hour after the view: exactly 1h is in, 1h + 1µs out; 3 uses its later view.",
            PeopleWithIds(3).Events(
                Ev(1, "view", At("09:00:00")), Ev(1, "cart", At("10:00:00")),
                Ev(2, "view", At("09:00:00")), Ev(2, "cart", At("10:00:00.000001")),
                Ev(3, "view", At("08:00:00")), Ev(3, "view", At("09:30:00")), Ev(3, "cart", At("10:00:00"))),
            Sequence([Step("view"), Step("cart", within: Hours(1))]), 1, 3),
        Ex("sequence_total_within", "First to last step at most 1 hour: 1 exactly; 2 a microsecond over; 3 from its later view (55 minutes).",
            PeopleWithIds(3).Events(
                Ev(1, "view", At("09:00:00")), Ev(1, "cart", At("09:30:00")), Ev(1, "checkout", At("10:00:00")),
                Ev(2, "view", At("09:00:00")), Ev(2, "cart", At("09:30:00")), Ev(2, "checkout", At("10:00:00.000001")),
                Ev(3, "view", At("08:00:00")), Ev(3, "view", At("09:10:00")), Ev(3, "cart", At("09:20:00")), Ev(3, "checkout", At("10:05:00"))),
            Sequence([Step("view"), Step("cart"), Step("checkout")], within: Hours(1)), 1, 3),
        Ex("sequence_gap_and_total", "Each gap ≤ 30 minutes and total ≤ 45 minutes: 1 (20 + 20 = 40); 2 has a 31-minute gap; 3 totals 50.",
            PeopleWithIds(3).Events(
                Ev(1, "view", At("09:00:00")), Ev(1, "cart", At("09:20:00")), Ev(1, "checkout", At("09:40:00")),
                Ev(2, "view", At("09:00:00")), Ev(2, "cart", At("09:31:00")), Ev(2, "checkout", At("09:40:00")),
                Ev(3, "view", At("09:00:00")), Ev(3, "cart", At("09:25:00")), Ev(3, "checkout", At("09:50:00"))),
            Sequence([Step("view"), Step("cart", within: Minutes(30)), Step("checkout", within: Minutes(30))], within: Minutes(45)), 1),
        Ex("sequence_window_applies_to_every_step", "within_last 24 hours: 1's view is on the edge; 2's is a microsecond older; 3's cart is after asOf.",
            PeopleWithIds(3).Events(
                Ev(1, "view", "2026-03-14T12:00:00Z"), Ev(1, "cart", At("10:00:00")),
                Ev(2, "view", "2026-03-14T11:59:59.999999Z"), Ev(2, "cart", At("10:00:00")),
                Ev(3, "view", At("10:00:00")), Ev(3, "cart", At("12:00:00.000001"))),
            Sequence([Step("view"), Step("cart")], window: Last(Hours(24))), 1),
        Ex("sequence_step_where", "The view must be on web.",
            PeopleWithIds(2).Events(
                Ev(1, "view", At("09:00:00"), channel: "web"), Ev(1, "cart", At("09:30:00")),
                Ev(2, "view", At("09:00:00"), channel: "app"), Ev(2, "cart", At("09:30:00"))),
            Sequence([Step("view", where: Prop("channel", Eq, Str("web"))), Step("cart")]), 1),
        Ex("sequence_step_with_several_names", "A step may name several events: cart or checkout, then purchase.",
            PeopleWithIds(2).Events(
                Ev(1, "checkout", At("09:00:00")), Ev(1, "purchase", At("10:00:00")),
                Ev(2, "purchase", At("09:00:00")), Ev(2, "checkout", At("10:00:00"))),
            Sequence([new SequenceStep(null, ["cart", "checkout"], null, null), Step("purchase")]), 1),
        Ex("sequence_across_event_models", "signup (its own table) then purchase: 1 in order, 2 not.",
            PeopleWithIds(2)
                .Signups(Signup(1, "2026-03-01T00:00:00Z"), Signup(2, "2026-03-02T00:00:00Z"))
                .Events(Ev(1, "purchase", "2026-03-02T00:00:00Z"), Ev(2, "purchase", "2026-03-01T00:00:00Z")),
            Sequence([Step("signup"), Step("purchase")]), 1),
        Ex("sequence_not_followed_by_cart_abandonment",
            "cart in the last 24 hours not followed by a purchase within 1 hour (A = 12:00). " +
            "1 bought 30 minutes later; 2 exactly 1 hour later (still within); 3 1 hour + 1µs later (too late, so abandoned); " +
            "4 carted 10 minutes ago (waiting time not passed); 5 exactly 1 hour ago (passed: tk + T = A); 6 1 hour - 1µs ago (not yet); " +
            "7 bought at the very instant of the cart (not after it); 8 abandoned its second cart; 9's purchase has no time.",
            PeopleWithIds(9).Events(
                Ev(1, "cart", At("09:00:00")), Ev(1, "purchase", At("09:30:00")),
                Ev(2, "cart", At("09:00:00")), Ev(2, "purchase", At("10:00:00")),
                Ev(3, "cart", At("09:00:00")), Ev(3, "purchase", At("10:00:00.000001")),
                Ev(4, "cart", At("11:50:00")),
                Ev(5, "cart", At("11:00:00")),
                Ev(6, "cart", At("11:00:00.000001")),
                Ev(7, "cart", At("09:00:00")), Ev(7, "purchase", At("09:00:00")),
                Ev(8, "cart", At("06:00:00")), Ev(8, "purchase", At("06:30:00")), Ev(8, "cart", At("08:00:00")),
                Ev(9, "cart", At("09:00:00")), EvNoTime(9, "purchase")),
            Sequence([Step("cart")], window: Last(Hours(24)), notFollowedBy: Step("purchase", within: Hours(1))), 3, 5, 7, 8, 9),
        Ex("sequence_not_followed_by_ignores_window",
            "Steps 2 to 48 hours ago; the purchase 1.5 hours ago is outside that window but still follows 1's cart within 2 hours. 3's cart is too recent for the window.",
            PeopleWithIds(3).Events(
                Ev(1, "cart", At("09:00:00")), Ev(1, "purchase", At("10:30:00")),
                Ev(2, "cart", At("09:00:00")),
                Ev(3, "cart", At("11:00:00"))),
            Sequence([Step("cart")], window: AgoWindow(Hours(2), Hours(48)), notFollowedBy: Step("purchase", within: Hours(2))), 2),
        Ex("sequence_not_followed_by_where", "Only purchases of at least 10 count as following: 1's 5 does not.",
            PeopleWithIds(2).Events(
                Ev(1, "cart", At("09:00:00")), Ev(1, "purchase", At("09:30:00"), 5m),
                Ev(2, "cart", At("09:00:00")), Ev(2, "purchase", At("09:30:00"), 20m)),
            Sequence([Step("cart")], notFollowedBy: Step("purchase", where: Prop("amount", GreaterOrEqual, Num(10)), within: Hours(1))), 1),
        Ex("sequence_steps_then_not_followed_by", "view then cart, not followed by a purchase within 1 hour of the cart.",
            PeopleWithIds(3).Events(
                Ev(1, "view", At("08:00:00")), Ev(1, "cart", At("09:00:00")), Ev(1, "purchase", At("09:30:00")),
                Ev(2, "view", At("08:00:00")), Ev(2, "cart", At("09:00:00")),
                Ev(3, "cart", At("08:00:00")), Ev(3, "view", At("09:00:00"))),
            Sequence([Step("view"), Step("cart")], notFollowedBy: Step("purchase", within: Hours(1))), 2),
    ];
}
