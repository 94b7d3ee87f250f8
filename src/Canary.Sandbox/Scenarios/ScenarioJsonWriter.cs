using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Sandbox.Scenarios;

/// <summary>Writes <see cref="ScenarioResults"/> as JSON: the table's rows with every run, the totals and the ratio.</summary>
public static class ScenarioJsonWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The results as a JSON document.</summary>
    public static JsonObject ToJson(ScenarioResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return new JsonObject
        {
            ["timeScale"] = results.Scale.Factor,
            ["wallTimeSeconds"] = Math.Round(results.WallTime.TotalSeconds, 1),
            ["rows"] = new JsonArray([.. results.Rows.Select(Row)]),
            ["totals"] = new JsonArray([.. results.Totals.Select(t => (JsonNode)new JsonObject
            {
                ["policy"] = t.Policy,
                ["runs"] = t.Runs,
                ["correct"] = t.Correct,
                ["falseRollbacks"] = t.FalseRollbacks,
                ["missedBadReleases"] = t.MissedBadReleases,
                ["undecided"] = t.Undecided,
                ["failedRequestsInBadReleases"] = t.FailedRequestsInBadReleases,
            })]),
            ["failedServedRatioFlaggerToJudge"] = results.FailedServedRatio,
        };
    }

    /// <summary>Writes the JSON document to <paramref name="path"/>.</summary>
    public static async Task WriteAsync(ScenarioResults results, string path, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, ToJson(results).ToJsonString(Indented) + Environment.NewLine, cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject Row(ScenarioRow row) => new()
    {
        ["scenario"] = row.Scenario.Name,
        ["file"] = row.Scenario.Source,
        ["expect"] = Name(row.Scenario.Expect),
        ["policy"] = row.Policy.Name,
        ["runs"] = row.Runs,
        ["correct"] = row.Correct,
        ["falseRollbacks"] = row.FalseRollbacks,
        ["missedBadReleases"] = row.MissedBadReleases,
        ["undecided"] = row.Undecided,
        ["medianDecisionSeconds"] = Seconds(row.MedianDecisionTime),
        ["worstDecisionSeconds"] = Seconds(row.WorstDecisionTime),
        ["failedRequestsServed"] = row.FailedRequests,
        ["requestsServed"] = row.Requests,
        ["outcomes"] = new JsonArray([.. row.Outcomes.Select(o => (JsonNode)new JsonObject
        {
            ["run"] = o.Run.Run,
            ["namespace"] = o.Run.Namespace,
            ["decision"] = o.Decision is { } d ? Name(d) : "undecided",
            ["decisionSeconds"] = Math.Round(o.DecisionTime.TotalSeconds, 1),
            ["requestsServed"] = o.Requests,
            ["failedRequestsServed"] = o.FailedRequests,
            ["reason"] = o.Reason,
        })]),
    };

    private static string Name(Verdict verdict) => verdict == Verdict.Promote ? "promote" : "rollback";

    private static double? Seconds(TimeSpan? value) => value is { } v ? Math.Round(v.TotalSeconds, 1) : null;
}
