using Canary.Api.Durations;
using System.CommandLine;
using System.Globalization;
using Canary.Sandbox.Scenarios;

namespace Canary.Sandbox.Commands;

/// <summary>
/// `scenarios`: runs release scenarios (benchmarks/decisions) under the flagger and/or judge policies, all at once in one
/// sandbox, and prints how well each policy decided. Exit 0 when the run completed (the table is the result), 2 on bad
/// input or a sandbox failure.
/// </summary>
internal static class ScenariosCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("FILE|DIR")
        {
            Description = "Scenario files or folders of *.yaml (default: benchmarks/decisions of the repository)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var runs = new Option<int>("--runs") { Description = "Runs of each scenario under each policy", DefaultValueFactory = _ => 1 };
        var policy = new Option<string>("--policy") { Description = "Policies to compare: flagger, judge or both", DefaultValueFactory = _ => "both" };
        policy.AcceptOnlyFromAmong("flagger", "judge", "both");
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file" };
        var scale = new Option<double>("--time-scale")
        {
            Description = "S: Canary intervals are divided by S and request rates multiplied by S (1..30)",
            DefaultValueFactory = _ => ScenarioRunnerOptions.DefaultScale,
        };
        var deadline = new Option<string>("--deadline")
        {
            Description = "Scenario time within which a release must be decided, else it counts as undecided (Go duration)",
            DefaultValueFactory = _ => GoDuration.Format(ScenarioRunnerOptions.DefaultDeadline),
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the simulated traffic; each run's own seed is derived from it and printed beside every wrong decision",
            DefaultValueFactory = _ => 1,
        };
        var scrape = new Option<double>("--scrape-interval") { Description = "Prometheus scrape interval in wall-clock seconds", DefaultValueFactory = _ => 1 };
        var command = new Command("scenarios", "Run release scenarios under Flagger's example analysis and the judge, and report decision quality")
        {
            paths, runs, policy, json, scale, scrape, deadline, seed,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(paths) is { Length: > 0 } given ? given : [Path.Combine("benchmarks", "decisions")],
            parse.GetValue(runs),
            parse.GetValue(policy)!,
            parse.GetValue(json),
            parse.GetValue(scale),
            parse.GetValue(scrape),
            parse.GetValue(deadline)!,
            parse.GetValue(seed),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(string[] paths, int runs, string policy, string? json, double scale, double scrape, string deadline, int seed, CancellationToken cancellationToken)
    {
        EnterCloneRoot();
        if (runs < 1)
        {
            return await FailAsync("--runs must be at least 1").ConfigureAwait(false);
        }

        if (scale is < 1 or > TimeScale.MaxFactor || double.IsNaN(scale))
        {
            return await FailAsync($"--time-scale must be between 1 and {TimeScale.MaxFactor.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
        }

        if (scrape is < 0.1 or > 10 || double.IsNaN(scrape))
        {
            return await FailAsync("--scrape-interval must be between 0.1 and 10 seconds").ConfigureAwait(false);
        }

        if (!GoDuration.TryParse(deadline, out var decideWithin) || decideWithin <= TimeSpan.Zero)
        {
            return await FailAsync($"--deadline must be a positive duration such as 80m (got '{deadline}')").ConfigureAwait(false);
        }

        using var stop = new StopSignals(cancellationToken);
        IReadOnlyList<Scenario> scenarios;
        try
        {
            scenarios = await ScenarioLoader.LoadAsync(paths, stop.Token).ConfigureAwait(false);
        }
        catch (ScenarioFormatException e)
        {
            return await FailAsync(e.Message).ConfigureAwait(false);
        }

        var options = new ScenarioRunnerOptions { Scale = new TimeScale(scale), ScrapeInterval = TimeSpan.FromSeconds(scrape), Deadline = decideWithin };
        var plan = ReleaseRun.Plan(scenarios, DecisionPolicies.Select(policy), runs, seed);
        ScenarioResults results;
        try
        {
            results = await new ScenarioRunner(options, Console.Error).RunAsync(plan, stop.Token).ConfigureAwait(false);
        }
        catch (ScenarioSandboxException e)
        {
            return await FailAsync(e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("scenarios: interrupted").ConfigureAwait(false);
            return 130;
        }

        ScenarioTableWriter.Write(results, Console.Out);
        if (json is not null)
        {
            await ScenarioJsonWriter.WriteAsync(results, json, CancellationToken.None).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"scenarios: {message}").ConfigureAwait(false);
        return 2;
    }

    // `dotnet run` starts the sandbox in its project folder (the Web SDK's RunWorkingDirectory) while sandbox.sh runs
    // from the clone's root: relative paths are the clone root's, as the user typed them there (and as messages show them).
    internal static void EnterCloneRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
            {
                Environment.CurrentDirectory = dir.FullName;
                return;
            }
        }
    }
}
