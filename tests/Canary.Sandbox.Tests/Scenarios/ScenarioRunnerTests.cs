using System.Diagnostics;
using Canary.Sandbox.Scenarios;
using Xunit.Abstractions;

namespace Canary.Sandbox.Tests.Scenarios;

/// <summary>The runner end to end on the shipped good and 8 % errors scenarios, once each, under Flagger's policy.</summary>
public sealed class ScenarioRunnerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Good_is_promoted_and_8pct_errors_rolled_back_with_rows_in_table_and_json()
    {
        var scenarios = await ScenarioLoader.LoadAsync(
            [Path.Combine(ShippedScenarios.Folder, "good.yaml"), Path.Combine(ShippedScenarios.Folder, "errors-8pct.yaml")],
            CancellationToken.None);

        // 30× (a 2 s check) with a 0.5 s scrape: every check window still holds four scrapes.
        var options = new ScenarioRunnerOptions { Scale = new TimeScale(30), ScrapeInterval = TimeSpan.FromMilliseconds(500) };
        var progress = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var results = await new ScenarioRunner(options, progress).RunAsync(ReleaseRun.Plan(scenarios, [DecisionPolicies.Flagger], 1), timeout.Token);
        var table = new StringWriter();
        ScenarioTableWriter.Write(results, table);
        output.WriteLine(progress.ToString());
        output.WriteLine(table.ToString());

        var good = Assert.Single(results.Outcomes, o => o.Run.Scenario.Name == "good");
        var bad = Assert.Single(results.Outcomes, o => o.Run.Scenario.Name == "errors-8pct");
        Assert.Equal(Verdict.Promote, good.Decision);
        Assert.Equal(Verdict.Rollback, bad.Decision);

        // Flagger: five 10 % steps before promotion, five failed checks before rollback, a minute each (scenario time).
        Assert.InRange(good.DecisionTime, TimeSpan.FromMinutes(5), ScenarioRunnerOptions.DefaultDeadline);
        Assert.InRange(bad.DecisionTime, TimeSpan.FromMinutes(4), ScenarioRunnerOptions.DefaultDeadline);
        Assert.True(bad.FailedRequests > good.FailedRequests, $"failed requests: bad {bad.FailedRequests}, good {good.FailedRequests}");
        Assert.True(good.Requests > 0);

        Assert.Matches(@"(?m)^good\s+promote\s+flagger\s+1\s+1\s+0\s+0\s+0\s", table.ToString());
        Assert.Matches(@"(?m)^errors-8pct\s+rollback\s+flagger\s+1\s+1\s+0\s+0\s+0\s", table.ToString());
        Assert.Contains("flagger: 2/2 correct, 0 false rollbacks, 0 missed bad releases, 0 undecided", table.ToString(), StringComparison.Ordinal);

        var json = ScenarioJsonWriter.ToJson(results);
        var rows = json["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        var badRow = rows.Single(r => r!["scenario"]!.GetValue<string>() == "errors-8pct")!;
        Assert.Equal("rollback", badRow["expect"]!.GetValue<string>());
        Assert.Equal("flagger", badRow["policy"]!.GetValue<string>());
        Assert.Equal(1, badRow["correct"]!.GetValue<int>());
        Assert.Equal(bad.FailedRequests, badRow["failedRequestsServed"]!.GetValue<long>());
        Assert.Equal("rollback", badRow["outcomes"]![0]!["decision"]!.GetValue<string>());
        Assert.Equal(bad.FailedRequests, json["totals"]![0]!["failedRequestsInBadReleases"]!.GetValue<long>());
    }

    [Fact]
    public async Task Command_exits_2_naming_file_and_field_of_bad_input()
    {
        var folder = Directory.CreateTempSubdirectory("canary-scenarios-");
        try
        {
            var file = Path.Combine(folder.FullName, "x.yaml");
            await File.WriteAllTextAsync(file, "name: x\nexpect: rollback\ncanary: {errorRate: 1.5}\n");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Canary.Sandbox.dll"), "scenarios", file, "--policy", "flagger" })
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(2, process.ExitCode);
            Assert.Contains($"{file}: canary.errorRate: must be between 0 and 1", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
