using Canary.MetricTemplates.Judge.Statistics;

namespace Canary.MetricTemplates.Tests.Judge;

/// <summary>
/// The exact conditional test pinned to values computed independently with exact rational arithmetic in Python
/// (fractions.Fraction and math.comb, no floating point until the end):
/// <code>
/// def upper(k, n, p): return sum(comb(n, i) * p**i * (1 - p)**(n - i) for i in range(k, n + 1))
/// pi = R * nc / (R * nc + np);  p_value = upper(fc, fc + fp, pi)
/// </code>
/// </summary>
public sealed class ErrorShareTestTests
{
    [Theory]
    [InlineData(3, 300, 0, 2700, 1.5, 0.0029154518950437317)] // primary without failures: p = pi^3 = (1/7)^3
    [InlineData(27, 3000, 15, 30000, 1.5, 1.7195357767817686e-14)] // 0.05% -> 0.9% (18x)
    [InlineData(45, 3000, 450, 30000, 1.5, 0.997426112121808)] // both at 1.5%
    [InlineData(16, 200, 0, 800, 1.5, 9.368220689829649e-10)] // 8% errors against a clean primary
    [InlineData(1, 300, 0, 2700, 1.5, 0.14285714285714285)] // one failure proves nothing
    [InlineData(4, 1000, 3, 1000, 2.0, 0.8267032464563329)]
    public void P_values_match_the_exact_reference(long fc, long nc, long fp, long np, double ratio, double expected)
    {
        var result = ErrorShareTest.Compare(fc, nc, fp, np, ratio, 0);

        Assert.Equal(expected, result.PValue, expected * 1e-9);
    }

    [Fact]
    public void Primary_without_failures_still_yields_a_p_value()
    {
        var result = ErrorShareTest.Compare(5, 100, 0, 900, 1.5, 0);

        Assert.InRange(result.PValue, 0, 0.01);
        Assert.Equal(0, result.PrimaryShare);
    }

    [Fact]
    public void No_failure_anywhere_is_no_evidence()
    {
        var result = ErrorShareTest.Compare(0, 500, 0, 5000, 1.5, 0);

        Assert.Equal(1, result.PValue);
        Assert.False(result.ExceedsMargin);
    }

    [Fact]
    public void The_margin_ignores_increases_below_it_however_significant()
    {
        // 0.3% vs 0.01%: significant, but only 0.29 percentage points.
        var small = ErrorShareTest.Compare(30, 10000, 10, 100000, 1.5, 0.5);
        var large = ErrorShareTest.Compare(80, 10000, 10, 100000, 1.5, 0.5);

        Assert.True(small.PValue < 1e-6);
        Assert.False(small.ExceedsMargin);
        Assert.True(large.ExceedsMargin);
    }

    [Fact]
    public void Bad_arguments_are_refused_by_name()
    {
        Assert.Equal("canaryFailures", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorShareTest.Compare(11, 10, 0, 10, 1.5, 0)).ParamName);
        Assert.Equal("primaryFailures", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorShareTest.Compare(0, 10, -1, 10, 1.5, 0)).ParamName);
        Assert.Equal("maxRatio", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorShareTest.Compare(0, 10, 0, 10, 0.5, 0)).ParamName);
    }
}
