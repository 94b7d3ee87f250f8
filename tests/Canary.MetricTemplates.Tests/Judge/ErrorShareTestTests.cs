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

    // Stratified references: the same exact rational arithmetic, the distribution of the sum built by convolving the
    // steps' binomial PMFs (fractions.Fraction), then the upper tail summed.
    [Fact]
    public void The_tail_of_a_sum_of_binomials_matches_a_hand_count()
    {
        // Binomial(2, 1/2) + Binomial(1, 1/5) >= 2: P(2) = 1/4·4/5 + 1/2·1/5 = 3/10, P(3) = 1/4·1/5 = 1/20, total 7/20.
        Assert.Equal(0.35, ErrorShareTest.UpperTailOfSum([(2, 0.5), (1, 0.2)], 2), 1e-12);
    }

    [Fact]
    public void Errors_18x_too_rare_for_any_one_step_are_caught_over_the_rollout()
    {
        // The five steps (10-50%) of a 30 s interval at 50 requests/s, 0.9% against 0.05%: each step alone has p > 0.01.
        ErrorCounts[] steps = [new(1, 150, 1, 1350), new(3, 300, 0, 1200), new(4, 450, 1, 1050), new(5, 600, 0, 900), new(7, 750, 0, 750)];
        double[] alone = [0.2653061224489796, 0.0202854996243426, 0.0805300463322107, 0.03125, 0.0279936];
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            Assert.Equal(alone[i], ErrorShareTest.CompareSteps([step], 1.5, 0).PValue, alone[i] * 1e-9);
            Assert.Equal(alone[i], ErrorShareTest.Compare(step.CanaryFailures, step.CanaryRequests, step.PrimaryFailures, step.PrimaryRequests, 1.5, 0).PValue, alone[i] * 1e-9);
        }

        var combined = ErrorShareTest.CompareSteps(steps, 1.5, 0);

        Assert.Equal(2.2683594890442605e-06, combined.PValue, 2.2683594890442605e-06 * 1e-9);
        Assert.Equal(20.0 / 2250, combined.CanaryShare, 1e-12);
        Assert.Equal(2.0 / 5250, combined.PrimaryShare, 1e-12);
    }

    [Fact]
    public void A_degradation_of_both_versions_in_a_later_step_is_no_evidence_against_the_canary()
    {
        // Step 1 at 10%: both at 0.1%. Step 2 at 50%: a shared dependency fails 3% of both sides' requests. Pooled into one
        // window the canary's larger share of the bad step looks like a regression (p = 0.00038); step by step it is not.
        ErrorCounts[] steps = [new(1, 1000, 9, 9000), new(150, 5000, 150, 5000)];
        var pooled = ErrorShareTest.Compare(151, 6000, 159, 14000, 1.5, 0);

        var stratified = ErrorShareTest.CompareSteps(steps, 1.5, 0);

        Assert.Equal(0.00038448928351977874, pooled.PValue, 0.00038448928351977874 * 1e-9);
        Assert.Equal(0.9998303099784686, stratified.PValue, 1e-9);
    }

    [Theory]
    [InlineData(2290, 0.032411627263067185)]
    [InlineData(2320, 0.0029427664654715275)]
    public void Above_the_exact_limit_the_normal_approximation_stays_close_to_the_exact_tail(long k, double exact)
    {
        // 6000 failures (above ExactFailureLimit) in two steps with π = 1/7 and 0.6. Reference: the exact convolution in
        // double precision (Python, PMFs from lgamma), which the approximation must match within 3%.
        var p = ErrorShareTest.UpperTailOfSum([(3000, 1.0 / 7), (3000, 0.6)], k);

        Assert.Equal(exact, p, exact * 0.03);
    }

    [Fact]
    public void Steps_without_requests_on_one_side_compare_nothing()
    {
        ErrorCounts[] steps = [new(0, 0, 5, 500), new(3, 300, 0, 0), new(3, 300, 0, 2700)];

        var result = ErrorShareTest.CompareSteps(steps, 1.5, 0);

        Assert.Equal(0.0029154518950437317, result.PValue, 1e-15); // only the last step counts: (1/7)^3
    }

    [Fact]
    public void Bad_arguments_are_refused_by_name()
    {
        Assert.Equal("canaryFailures", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorShareTest.Compare(11, 10, 0, 10, 1.5, 0)).ParamName);
        Assert.Equal("primaryFailures", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorShareTest.Compare(0, 10, -1, 10, 1.5, 0)).ParamName);
        Assert.Equal("maxRatio", Assert.Throws<ArgumentOutOfRangeException>(() => ErrorShareTest.Compare(0, 10, 0, 10, 0.5, 0)).ParamName);
    }
}
