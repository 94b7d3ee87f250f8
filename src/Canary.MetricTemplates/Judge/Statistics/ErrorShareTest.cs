using MathNet.Numerics;

namespace Canary.MetricTemplates.Judge.Statistics;

/// <summary>The canary's failure share against the primary's over the same window.</summary>
/// <param name="PValue">One-sided p-value of "canary rate ≤ maxRatio × primary rate".</param>
/// <param name="CanaryShare">Canary failures / requests (0 without requests).</param>
/// <param name="PrimaryShare">Primary failures / requests (0 without requests).</param>
/// <param name="ExceedsMargin">The observed increase is larger than the margin (percentage points).</param>
public sealed record ErrorShareResult(double PValue, double CanaryShare, double PrimaryShare, bool ExceedsMargin);

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

        var canaryShare = canaryRequests == 0 ? 0 : (double)canaryFailures / canaryRequests;
        var primaryShare = primaryRequests == 0 ? 0 : (double)primaryFailures / primaryRequests;
        var exceedsMargin = (canaryShare - primaryShare) * 100 > marginPercentPoints;
        var failures = canaryFailures + primaryFailures;
        if (canaryFailures == 0 || canaryRequests == 0)
        {
            return new ErrorShareResult(1, canaryShare, primaryShare, exceedsMargin);
        }

        if (primaryRequests == 0)
        {
            // Nothing to compare with: no evidence against the canary (the caller's sample minimum makes this inconclusive).
            return new ErrorShareResult(1, canaryShare, primaryShare, exceedsMargin);
        }

        var weighted = maxRatio * canaryRequests;
        var pi = weighted / (weighted + primaryRequests);
        return new ErrorShareResult(UpperTail(canaryFailures, failures, pi), canaryShare, primaryShare, exceedsMargin);
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
