using Cohort.Testing.Reference;

namespace Cohort.Core.Tests.Reference;

public sealed class StringAndValueOrderTests
{
    [Theory]
    [InlineData("\uFFFD", "\U0001F600")] // U+FFFD < U+1F600, but its UTF-16 unit FFFD > D83D
    [InlineData("\uE000", "\U0001F600")]
    [InlineData("\uFF61", "\U00010000")]
    public void Strings_order_by_code_point_not_utf16_unit(string smaller, string larger)
    {
        Assert.True(CodePoints.Compare(smaller, larger) < 0);
        Assert.True(CodePoints.Compare(larger, smaller) > 0);
        Assert.True(string.CompareOrdinal(smaller, larger) > 0, "the trap this guards against: ordinal UTF-16 order disagrees");
    }

    [Theory]
    [InlineData("", "a", -1)]
    [InlineData("a", "ab", -1)]
    [InlineData("b", "ab", 1)]
    [InlineData("A", "a", -1)]
    [InlineData("e\u0301", "\u00E9", -1)] // no normalisation: 'e' (U+0065) < U+00E9
    [InlineData("\U0001F600", "\U0001F600", 0)]
    public void Compare_is_lexicographic_by_code_point(string a, string b, int sign) =>
        Assert.Equal(sign, Math.Sign(CodePoints.Compare(a, b)));

    [Fact]
    public void Substring_tests_work_on_code_points()
    {
        Assert.True(CodePoints.Contains("smile \U0001F600!", "\U0001F600"));
        Assert.True(CodePoints.Contains("", ""));
        Assert.True(CodePoints.StartsWith("\U0001F600x", "\U0001F600"));
        Assert.True(CodePoints.EndsWith("x\U0001F600", "\U0001F600"));
        Assert.False(CodePoints.StartsWith("e\u0301", "\u00E9"));
        Assert.False(CodePoints.Contains("ab", "abc"));
    }

    [Fact]
    public void An_unpaired_surrogate_is_not_text() =>
        Assert.Throws<InvalidOperationException>(() => CodePoints.Of("a\uD83D"));

    [Fact]
    public void Integers_and_decimals_compare_by_value()
    {
        Assert.True(Values.Same(3L, 3.00m));
        Assert.True(Values.Order(2L, 2.5m) < 0);
        IEqualityComparer<object> comparer = Values.Instance;
        Assert.Equal(comparer.GetHashCode(3L), comparer.GetHashCode(3.00m));
    }

    [Fact]
    public void False_sorts_before_true_and_mixed_kinds_throw()
    {
        Assert.True(Values.Order(false, true) < 0);
        Assert.Throws<InvalidOperationException>(() => Values.Order("1", 1L));
        Assert.Throws<InvalidOperationException>(() => Values.Order(new DateTime(2026, 1, 1), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Averages_compare_exactly()
    {
        var fourThirds = new ExactAverage(4, 3);
        Assert.NotEqual(0, fourThirds.CompareTo(1.3333333333333333333333333333m));
        Assert.Equal(1.3333333333333333333333333333m, fourThirds.Value); // what a rounded division would wrongly call equal
        Assert.True(fourThirds.CompareTo(new ExactAverage(8, 6)) == 0);
        Assert.True(Values.Order(fourThirds, 1.33333333333333333333m) > 0);
    }

    [Theory]
    [InlineData("spring", 1L, 6451)]
    [InlineData("spring", 6L, 2231)]
    [InlineData("sample", 5L, 1011)]
    [InlineData("spring", "a", 4172)]
    [InlineData("spring", "\u00E9", 3880)]      // hashed as UTF-8
    [InlineData("spring", "\U0001F600", 9959)]
    public void Split_bucket_is_md5_prefix_mod_10000(string salt, object key, int bucket) =>
        Assert.Equal(bucket, ReferenceEvaluator.SplitBucket(salt, key));
}
