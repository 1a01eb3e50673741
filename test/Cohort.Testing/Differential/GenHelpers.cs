using CsCheck;

namespace Cohort.Testing.Differential;

/// <summary>Small combinators over CsCheck used by the differential generators.</summary>
internal static class GenHelpers
{
    /// <summary>One item of a list; shrinks towards the first, so put the plainest items first.</summary>
    public static Gen<T> Pick<T>(IReadOnlyList<T> items) =>
        items.Count == 0 ? throw new ArgumentException("Nothing to pick from.", nameof(items)) : Gen.Int[0, items.Count - 1].Select(i => items[i]);

    public static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] options) =>
        Gen.Frequency([.. options.Where(o => o.Weight > 0).Select(o => (o.Weight, (IGen<T>)o.Gen))]);

    /// <summary>NULL with the given chance, else a value (boxed).</summary>
    public static Gen<object?> OrNull<T>(Gen<T> gen, int nullPercent = 15) =>
        Gen.Int[0, 99].SelectMany(p => p < nullPercent ? Nothing<object>() : gen.Select(v => (object?)v));

    /// <summary>null with the given chance, else a value.</summary>
    public static Gen<T?> Maybe<T>(Gen<T> gen, int nullPercent) where T : class =>
        Gen.Int[0, 99].SelectMany(p => p < nullPercent ? Nothing<T>() : gen.Select(v => (T?)v));

    /// <summary>Always null. (Gen.Const(null) is ambiguous between its value and factory overloads.)</summary>
    public static Gen<T?> Nothing<T>() where T : class => Gen.Int[0, 0].Select(T? (_) => null);

    /// <summary>1..max distinct items of a list, in list order.</summary>
    public static Gen<T[]> Some<T>(IReadOnlyList<T> items, int max) =>
        Gen.Int[0, items.Count - 1].Array[1, Math.Min(max, items.Count)].Select(ix => ix.Distinct().Order().Select(i => items[i]).ToArray());
}
