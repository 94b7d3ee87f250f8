using System.Globalization;
using System.Text;

namespace Canary.Sandbox.Scenarios;

/// <summary>Writes <see cref="ScenarioResults"/> as a text table with a summary line per policy.</summary>
public static class ScenarioTableWriter
{
    private static readonly CompositeFormat Format = CompositeFormat.Parse("{0,-30} {1,-8} {2,-7} {3,4} {4,7} {5,8} {6,6} {7,9} {8,8} {9,8} {10,14}");

    /// <summary>Writes the table to <paramref name="writer"/>.</summary>
    public static void Write(ScenarioResults results, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(Line("scenario", "expect", "policy", "runs", "correct", "false-rb", "missed", "undecided", "median", "worst", "failed-served"));
        foreach (var row in results.Rows)
        {
            writer.WriteLine(Line(
                row.Scenario.Name,
                Expect(row.Scenario.Expect),
                row.Policy.Name,
                N(row.Runs),
                N(row.Correct),
                N(row.FalseRollbacks),
                N(row.MissedBadReleases),
                N(row.Undecided),
                Duration(row.MedianDecisionTime),
                Duration(row.WorstDecisionTime),
                N(row.FailedRequests)));
        }

        writer.WriteLine();
        foreach (var total in results.Totals)
        {
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{total.Policy}: {total.Correct}/{total.Runs} correct, {total.FalseRollbacks} false rollbacks, {total.MissedBadReleases} missed bad releases, {total.Undecided} undecided, {total.FailedRequestsInBadReleases} failed requests served during bad releases"));
        }

        // Every wrong decision with the seed that replays it (same scenario, run number and --seed).
        foreach (var wrong in results.Outcomes.Where(o => !o.Correct).OrderBy(o => o.Run.Namespace, StringComparer.Ordinal))
        {
            var decided = wrong.Decision is { } d ? Expect(d) : "undecided";
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"wrong: {wrong.Run.Scenario.Name} run {wrong.Run.Run} under {wrong.Run.Policy.Name}: {decided} (traffic seed {wrong.Run.Seed}){(wrong.Reason is null ? string.Empty : $": {wrong.Reason}")}"));
        }

        var ratio = results.FailedServedRatio;
        writer.WriteLine(ratio is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"failed requests served during bad releases, flagger/judge: {r:0.00}")
            : "failed requests served during bad releases, flagger/judge: n/a (needs both policies and a judge count above 0)");
        writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{results.Outcomes.Count} releases, time scale {results.Scale.Factor}×, times in scenario time, wall time {results.WallTime.TotalSeconds:0}s"));
    }

    /// <summary>A scenario-time duration as 4m05s (or 45s); "-" for none.</summary>
    public static string Duration(TimeSpan? value) => value is not { } v
        ? "-"
        : v.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)v.TotalMinutes}m{v.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)v.TotalSeconds}s");

    private static string Expect(Verdict verdict) => verdict == Verdict.Promote ? "promote" : "rollback";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Line(params object[] cells) => string.Format(CultureInfo.InvariantCulture, Format, cells);
}
