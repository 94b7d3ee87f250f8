using System.Globalization;
using Spectre.Console;

namespace Canary.Cli.Commands.Offline.Plan;

/// <summary>Prints a <see cref="CanaryPlan"/> for people: a summary, the timeline table, promotion, rollback and warnings.</summary>
internal static class PlanPrinter
{
    public static void Write(IAnsiConsole console, CanaryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(plan);
        console.WriteLine($"Canary {plan.Name}.{plan.Namespace} ({plan.File}, document {plan.Document.ToString(CultureInfo.InvariantCulture)})");
        if (plan.Errors.Count > 0)
        {
            // The errors themselves go to stderr, one FILE:DOC: FIELD: message line each.
            console.WriteLine($"  refused by the controller's validation ({Count(plan.Errors.Count, "error")}): nothing is rolled out");
            return;
        }

        Field(console, "strategy", plan.SkipAnalysis ? "none: no analysis runs, a new revision is promoted at once" : Strategy(plan));
        Field(console, "provider", $"{plan.Provider} ({plan.ProviderFrom}), target {plan.Target}");
        if (!plan.SkipAnalysis)
        {
            Field(console, "analysis", $"a tick every {plan.Interval}, rollback after {Count(plan.Threshold ?? 1, "failed check")}");
        }

        if (plan.Metrics.Count > 0 && !plan.SkipAnalysis)
        {
            Field(console, "metrics", string.Join(", ", plan.Metrics.Select(m => $"{m.Name} ({m.Source}, {m.Window} window)")));
        }

        console.WriteLine();
        console.Write(Timeline(plan));
        if (plan.Webhooks.Count > 0)
        {
            console.WriteLine();
            console.Write(Webhooks(plan));
        }

        console.WriteLine();
        if (plan.Promotion is { } promotion)
        {
            console.WriteLine($"Promotion: at the earliest {promotion.Promoted} after the new revision is detected (template copied to the primary), "
                + $"all traffic on the primary at {promotion.AllTrafficOnPrimary}, Succeeded at {promotion.Succeeded}.");
        }

        if (plan.Rollback is { } rollback)
        {
            console.WriteLine($"Rollback: {Rollback(rollback)}.");
        }

        if (plan.Warnings.Count > 0)
        {
            console.WriteLine("Warnings:");
            foreach (var warning in plan.Warnings)
            {
                console.WriteLine($"  - {warning}");
            }
        }
    }

    private static void Field(IAnsiConsole console, string name, string value) => console.WriteLine($"  {name,-10} {value}");

    private static string Strategy(CanaryPlan plan)
    {
        var mirror = plan.Mirror ? ", traffic mirrored first" : string.Empty;
        return plan.Strategy switch
        {
            "canary" => $"canary: weights {string.Join(", ", plan.StepWeights ?? [])}{mirror}"
                + (plan.StepWeightPromotion > 0 ? $", then the primary takes back {plan.StepWeightPromotion} per tick" : string.Empty),
            "ab-testing" => $"A/B testing: matching requests to the canary for {Count(plan.Iterations ?? 0, "iteration")}",
            _ when !plan.RoutesTraffic => $"blue/green: {Count(plan.Iterations ?? 0, "iteration")} against the canary's own Service, then the primary is updated",
            _ => $"blue/green: {Count(plan.Iterations ?? 0, "iteration")}{mirror}, then all traffic at once",
        };
    }

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    private static Table Timeline(CanaryPlan plan)
    {
        var table = Columns("AT", "PHASE", "STEP", "TRAFFIC", "RUNS", "EVENTS");
        var abTesting = plan.Strategy == "ab-testing";
        foreach (var step in plan.Steps)
        {
            table.AddRow(
                new Text(step.At),
                new Text(step.Phase),
                new Text(step.Weight is { } w ? $"weight {w}" : step.Iteration is { } i and > 0 ? $"iteration {i}/{plan.Iterations}" : "-"),
                new Text(Traffic(step, abTesting)),
                new Text(step.Runs.Count == 0 ? "-" : string.Join('\n', step.Runs)),
                new Text(step.Events.Count == 0 ? "-" : string.Join('\n', step.Events)));
        }

        return table;
    }

    // kubectl's look: no borders, two spaces between columns.
    private static Table Columns(params string[] headers)
    {
        var table = new Table { Border = TableBorder.None };
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(header) { Padding = new Padding(0, 0, 2, 0) });
        }

        return table;
    }

    // Primary/canary shares; in A/B testing the canary's share is of the matching requests.
    private static string Traffic(PlanStep step, bool abTesting)
    {
        if (abTesting && step.CanaryWeight == 100 && step.PrimaryWeight == 0)
        {
            return "matching → canary";
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"{step.PrimaryWeight}/{step.CanaryWeight}");
        return step.Mirrored ? text + " mirrored" : text;
    }

    private static Table Webhooks(CanaryPlan plan)
    {
        var table = Columns("WEBHOOK", "TYPE", "CALLED AT", "ROLE");
        foreach (var hook in plan.Webhooks)
        {
            var at = hook.At.Count switch
            {
                0 => "-",
                <= 3 => string.Join(", ", hook.At),
                _ => $"{hook.At[0]} … {hook.At[^1]} ({hook.At.Count} times)",
            };
            table.AddRow(new Text(hook.Name), new Text(hook.Type), new Text(at), new Text(hook.Role));
        }

        return table;
    }

    private static string Rollback(PlanRollback rollback)
    {
        if (rollback.AfterFirstFailedCheck is not { } after)
        {
            return $"nothing is checked: only a canary not ready within its progress deadline ({rollback.ProgressDeadline}) is rolled back";
        }

        var verb = rollback.FailedChecks == 1 ? "rolls" : "roll";
        return $"{Count(rollback.FailedChecks, "failed check")} {verb} back {after} after the first; "
            + $"worst case {rollback.WorstCase} (a canary taking its whole progress deadline, {rollback.ProgressDeadline}, to become ready); "
            + $"checks failing only from the last step roll back at {rollback.LatestFromStart}";
    }
}
