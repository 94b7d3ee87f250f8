using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Canary.MetricTemplates.Judge.Statistics;

/// <summary>The canary's failure share against the primary's over the same window.</summary>
/// <param name="PValue">One-sided p-value of "canary rate ≤ maxRatio × primary rate".</param>
/// <param name="CanaryShare">Canary failures / requests (0 without requests).</param>
/// <param name="PrimaryShare">Primary failures / requests (0 without requests).</param>
/// <param name="ExceedsMargin">The observed increase is larger than the margin (percentage points).</param>
public sealed record ErrorShareResult(double PValue, double CanaryShare, double PrimaryShare, bool ExceedsMargin);

/// <summary>Requests and failures of both sides over one window (one traffic step).</summary>
public readonly record struct ErrorCounts(long CanaryFailures, long CanaryRequests, long PrimaryFailures, long PrimaryRequests)
{
    /// <summary>Failures on both sides.</summary>
    public long Failures => CanaryFailures + PrimaryFailures;

    /// <summary>The counts of several windows added up.</summary>
    public static ErrorCounts Sum(IEnumerable<ErrorCounts> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        return windows.Aggregate(default(ErrorCounts), (total, w) => new ErrorCounts(
            total.CanaryFailures + w.CanaryFailures, total.CanaryRequests + w.CanaryRequests,
            total.PrimaryFailures + w.PrimaryFailures, total.PrimaryRequests + w.PrimaryRequests));
    }

    /// <summary>The counts of one step as kept in a Canary's status.evidence (missing numbers read as zero).</summary>
    public static ErrorCounts From(Canary.Api.V1Beta1.CanaryStepEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return new(evidence.CanaryFailures ?? 0, evidence.CanaryRequests ?? 0, evidence.PrimaryFailures ?? 0, evidence.PrimaryRequests ?? 0);
    }
}

/// <summary>
/// Is the canary's failure share worse than <c>maxRatio</c> times the primary's? The exact conditional test for two
/// Poisson rates (Przyborowski and Wilenski, 1940): given F = failures on both sides, the canary's count is
/// Binomial(F, π) with π = R·n_c / (R·n_c + n_p) at the boundary of the null hypothesis, so the p-value is
/// P(Binomial(F, π) ≥ f_c). It needs no failure on the primary (then p = π^f_c) and no normal approximation, which is
/// what rare errors on a clean baseline call for (a rank test sees nothing there).
/// </summary>
public static class ErrorShareTest
{
    /// <summary>Compares the two sides; <paramref name="marginPercentPoints"/> only sets <see cref="ErrorShareResult.ExceedsMargin"/>.</summary>
    public static ErrorShareResult Compare(
        long canaryFailures, long canaryRequests, long primaryFailures, long primaryRequests, double maxRatio, double marginPercentPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(canaryFailures);
        ArgumentOutOfRangeException.ThrowIfNegative(primaryFailures);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(canaryFailures, canaryRequests);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(primaryFailures, primaryRequests);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRatio, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(marginPercentPoints);

        // One window is the one-step case: one binomial, whose tail is the regularized incomplete beta function.
        return CompareSteps([new ErrorCounts(canaryFailures, canaryRequests, primaryFailures, primaryRequests)], maxRatio, marginPercentPoints);
    }

    /// <summary>
    /// The same test over several steps at once, stratified by step: within a step both sides share the same weight and
    /// the same moment, so a change that hits both versions (a dependency degrading mid-release) cancels out, while the
    /// evidence of a small regression adds up. Given each step's failures F_s, the canary's total is a sum of independent
    /// Binomial(F_s, π_s) at the boundary of the null hypothesis; its upper tail is computed exactly by convolution up to
    /// <see cref="ExactFailureLimit"/> failures, and by the normal approximation (with continuity correction) above,
    /// where it is accurate. Shares and the margin are the pooled ones.
    /// </summary>
    public static ErrorShareResult CompareSteps(IReadOnlyList<ErrorCounts> steps, double maxRatio, double marginPercentPoints)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRatio, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(marginPercentPoints);
        foreach (var step in steps)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(step.CanaryFailures);
            ArgumentOutOfRangeException.ThrowIfNegative(step.PrimaryFailures);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(step.CanaryFailures, step.CanaryRequests);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(step.PrimaryFailures, step.PrimaryRequests);
        }

        var pooled = ErrorCounts.Sum(steps);
        var canaryShare = pooled.CanaryRequests == 0 ? 0 : (double)pooled.CanaryFailures / pooled.CanaryRequests;
        var primaryShare = pooled.PrimaryRequests == 0 ? 0 : (double)pooled.PrimaryFailures / pooled.PrimaryRequests;
        var exceedsMargin = (canaryShare - primaryShare) * 100 > marginPercentPoints;

        // A step without requests on one side compares nothing: its failures say nothing about the ratio (a lone window
        // without primary requests is no evidence against the canary; the caller's sample minimum makes it inconclusive).
        var compared = steps.Where(s => s.CanaryRequests > 0 && s.PrimaryRequests > 0 && s.Failures > 0).ToList();
        var observed = compared.Sum(s => s.CanaryFailures);
        if (observed == 0)
        {
            return new ErrorShareResult(1, canaryShare, primaryShare, exceedsMargin);
        }

        var strata = compared.Select(s => (Trials: s.Failures, Pi: CanaryShareAtBoundary(s.CanaryRequests, s.PrimaryRequests, maxRatio))).ToList();
        return new ErrorShareResult(UpperTailOfSum(strata, observed), canaryShare, primaryShare, exceedsMargin);
    }

    /// <summary>Most failures (all steps together) for which the stratified tail is computed exactly.</summary>
    public const long ExactFailureLimit = 5000;

    /// <summary>P(Σ Binomial(n_s, p_s) ≥ k) for independent binomials.</summary>
    public static double UpperTailOfSum(IReadOnlyList<(long Trials, double Pi)> strata, long k)
    {
        ArgumentNullException.ThrowIfNull(strata);
        var total = strata.Sum(s => s.Trials);
        if (k <= 0)
        {
            return 1;
        }

        if (k > total)
        {
            return 0;
        }

        if (strata.Count == 1)
        {
            return UpperTail(k, strata[0].Trials, strata[0].Pi);
        }

        if (total > ExactFailureLimit)
        {
            var mean = strata.Sum(s => s.Trials * s.Pi);
            var variance = strata.Sum(s => s.Trials * s.Pi * (1 - s.Pi));
            return variance <= 0 ? (k <= mean ? 1 : 0) : Math.Clamp(1 - Normal.CDF(mean, Math.Sqrt(variance), k - 0.5), 0, 1);
        }

        double[] pmf = [1];
        foreach (var (trials, pi) in strata)
        {
            var next = new double[pmf.Length + trials];
            for (var x = 0; x <= trials; x++)
            {
                var px = Binomial.PMF(pi, (int)trials, x);
                if (px == 0)
                {
                    continue;
                }

                for (var t = 0; t < pmf.Length; t++)
                {
                    next[t + x] += pmf[t] * px;
                }
            }

            pmf = next;
        }

        var tail = 0.0;
        for (var t = pmf.Length - 1; t >= k; t--)
        {
            tail += pmf[t];
        }

        return Math.Clamp(tail, 0, 1);
    }

    // At the boundary of the null hypothesis (canary rate = maxRatio × primary rate), the canary's share of the failures.
    private static double CanaryShareAtBoundary(long canaryRequests, long primaryRequests, double maxRatio)
    {
        var weighted = maxRatio * canaryRequests;
        return weighted / (weighted + primaryRequests);
    }

    /// <summary>P(Binomial(n, p) ≥ k) through the regularized incomplete beta function, accurate far into the tail.</summary>
    public static double UpperTail(long k, long n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (k <= 0)
        {
            return 1;
        }

        if (k > n)
        {
            return 0;
        }

        return Math.Clamp(SpecialFunctions.BetaRegularized(k, n - k + 1, p), 0, 1);
    }
}
