using Cohort.Testing.Reference;
using static Cohort.Core.Audiences.PropertyOperator;
using static Cohort.Testing.Ast;
using static Cohort.Testing.Examples.ExampleData;

namespace Cohort.Testing.Examples;

public static partial class OperatorExamples
{
    // vip: 1 → true, 2 → false, 3 → NULL
    private static readonly ReferenceDataset BooleanPeople = People(
        Person(1, ("vip", true)), Person(2, ("vip", false)), Person(3));

    private static IEnumerable<OperatorExample> Booleans() =>
    [
        Ex("boolean_is_true", "Only TRUE.", BooleanPeople, Prop("vip", IsTrue), 1),
        Ex("boolean_is_false", "Only FALSE; NULL is neither true nor false.", BooleanPeople, Prop("vip", IsFalse), 2),
        Ex("boolean_equals_true", "Same as is_true.", BooleanPeople, Prop("vip", Eq, Bool(true)), 1),
        Ex("boolean_equals_false", "Same as is_false.", BooleanPeople, Prop("vip", Eq, Bool(false)), 2),
        Ex("boolean_not_equals_true", "Complement of = true: FALSE and NULL.", BooleanPeople, Prop("vip", NotEquals, Bool(true)), 2, 3),
        Ex("boolean_not_equals_false", "Complement of = false: TRUE and NULL.", BooleanPeople, Prop("vip", NotEquals, Bool(false)), 1, 3),
        Ex("boolean_is_set", "TRUE and FALSE are set.", BooleanPeople, Prop("vip", IsSet), 1, 2),
        Ex("boolean_is_not_set", "Only NULL.", BooleanPeople, Prop("vip", IsNotSet), 3),
        Ex("boolean_not_is_true", "not is_true: FALSE and NULL (not is the complement).", BooleanPeople, Not(Prop("vip", IsTrue)), 2, 3),
    ];
}
