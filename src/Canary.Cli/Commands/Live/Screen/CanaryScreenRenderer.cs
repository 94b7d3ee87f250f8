using System.Globalization;
using Canary.Api.V1Beta1;
using Canary.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Canary.Cli.Commands.Live.Screen;

/// <summary>Draws a <see cref="CanaryScreen"/> as one screen of text: a summary, then the timeline, checks, webhooks, controls and Events.</summary>
internal static class CanaryScreenRenderer
{
    public static IRenderable Render(CanaryScreen screen, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(screen);
        return new Rows(
            Summary(screen),
            Section("Timeline", screen.Timeline.Count, () => Timeline(screen, now)),
            Section("Checks", screen.Checks.Count, () => Checks(screen, now)),
            Section("Webhooks", screen.Webhooks.Count, () => Webhooks(screen, now)),
            Section("Controls", screen.Controls.Count, () => Controls(screen, now)),
            Section("Events", screen.Events.Count, () => Events(screen, now)));
    }

    /// <summary>The phase, coloured: green promoted, red rolled back, yellow in progress.</summary>
    public static Markup Phase(string phase, bool paused)
    {
        var colour = phase switch
        {
            nameof(CanaryPhase.Succeeded) => "green",
            nameof(CanaryPhase.Failed) => "red",
            nameof(CanaryPhase.Initialized) or "" => "default",
            _ => "yellow",
        };
        var text = Markup.Escape(phase.Length == 0 ? "-" : phase);
        return new Markup($"[{colour}]{text}[/]" + (paused ? " [blue](paused)[/]" : string.Empty));
    }

    private static Grid Summary(CanaryScreen s)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        grid.AddRow(new Text("Canary:"), new Text($"{s.Namespace}/{s.Name} ({s.Strategy}, provider {s.Provider ?? "default"})"));
        grid.AddRow(new Text("Target:"), new Text(Workload(s.Target)));
        grid.AddRow(new Text("Primary:"), new Text(Workload(s.Primary)));
        grid.AddRow(new Text("Phase:"), Phase(s.Phase, s.Paused));
        grid.AddRow(new Text("Progress:"), new Text(Progress(s)));
        grid.AddRow(new Text("Failed checks:"), new Text(string.Create(CultureInfo.InvariantCulture, $"{s.FailedChecks}/{s.Threshold}")));
        grid.AddRow(new Text("Flags:"), new Text(Flags(s)));
        return grid;
    }

    private static string Workload(WorkloadView w)
    {
        var text = $"{w.Kind} {w.Name}, revision {(string.IsNullOrEmpty(w.Revision) ? "-" : w.Revision)}";
        return w.Images is { Count: > 0 } images ? text + (images.Count == 1 ? ", image " : ", images ") + string.Join(", ", images) : text;
    }

    private static string Progress(CanaryScreen s)
    {
        var step = s.Phase.Length == 0 || RolloutProgress.IsIdle(s.Phase) ? null : string.Create(CultureInfo.InvariantCulture, $"{s.Step}/{s.Steps}");
        if (s.Strategy == "canary")
        {
            var weight = string.Create(CultureInfo.InvariantCulture, $"weight {s.Weight}% of {s.MaxWeight}%");
            return step is null ? weight : $"{weight} (step {step})";
        }

        return string.Create(CultureInfo.InvariantCulture, $"weight {s.Weight}%, iteration {s.Step}/{s.Steps}");
    }

    private static string Flags(CanaryScreen s)
    {
        var flags = new List<string>();
        if (s.Paused)
        {
            flags.Add("paused");
        }

        if (s.RequestedPromotion is { } promotion)
        {
            flags.Add($"promotion requested ({promotion})");
        }

        if (s.SkipAnalysisOnce)
        {
            flags.Add("skip analysis once");
        }

        return flags.Count == 0 ? "none" : string.Join(", ", flags);
    }

    private static Rows Section(string title, int count, Func<Table> table) =>
        new(new Text(string.Empty), new Text(title + ":"), new Padder(count == 0 ? new Text("<none>") : table(), new Padding(2, 0, 0, 0)));

    private static Table Timeline(CanaryScreen s, DateTimeOffset now)
    {
        var table = KubeTable.Create("AGE", "PHASE", "WEIGHT", "ITERATIONS");
        foreach (var t in s.Timeline)
        {
            table.AddTextRow(HumanDuration.Age(t.Time, now), t.Phase, Number(t.Weight), Number(t.Iterations));
        }

        return table;
    }

    private static Table Checks(CanaryScreen s, DateTimeOffset now)
    {
        var table = KubeTable.Create("AGE", "METRIC", "WEIGHT", "CANARY", "THRESHOLD", "VERDICT", "MESSAGE");
        foreach (var c in s.Checks)
        {
            table.AddRow(
                new Text(HumanDuration.Age(c.Time, now)), Plain(c.Metric), Plain(Number(c.Weight)), Plain(Value(c.CanaryValue, c.Metric)),
                Plain(Threshold(c)), Verdict(c.Verdict), Plain(c.Message));
        }

        return table;
    }

    private static Table Webhooks(CanaryScreen s, DateTimeOffset now)
    {
        var table = KubeTable.Create("AGE", "NAME", "TYPE", "RESULT", "MESSAGE");
        foreach (var w in s.Webhooks)
        {
            table.AddRow(
                new Text(HumanDuration.Age(w.Time, now)), Plain(w.Name), Plain(w.Type),
                w.Passed switch { true => new Markup("[green]passed[/]"), false => new Markup("[red]failed[/]"), null => new Text("-") },
                Plain(w.Message));
        }

        return table;
    }

    private static Table Controls(CanaryScreen s, DateTimeOffset now)
    {
        var table = KubeTable.Create("AGE", "REQUEST", "ACTION", "RESULT", "REASON", "MESSAGE");
        foreach (var c in s.Controls)
        {
            var action = c.Force == true ? $"{c.Action} (force)" : c.Action;
            IRenderable result = c.Result switch
            {
                CanaryControls.Accepted => new Markup("[green]Accepted[/]"),
                CanaryControls.Refused => new Markup("[red]Refused[/]"),
                _ => Plain(c.Result),
            };
            table.AddRow(new Text(HumanDuration.Age(c.HandledTime ?? c.RequestedTime, now)), Plain(c.Request), Plain(action), result, Plain(c.Reason), Plain(c.Message));
        }

        return table;
    }

    private static Table Events(CanaryScreen s, DateTimeOffset now)
    {
        var table = KubeTable.Create("AGE", "TYPE", "REASON", "MESSAGE");
        foreach (var e in s.Events)
        {
            IRenderable type = e.Type == "Warning" ? new Markup("[yellow]Warning[/]") : Plain(e.Type);
            var message = e.Count is > 1 ? string.Create(CultureInfo.InvariantCulture, $"{e.Message} (x{e.Count})") : e.Message;
            table.AddRow(new Text(HumanDuration.Age(e.Time, now)), type, Plain(e.Reason), Plain(message));
        }

        return table;
    }

    private static IRenderable Verdict(string? verdict) => verdict switch
    {
        CheckVerdicts.Pass => new Markup("[green]Pass[/]"),
        CheckVerdicts.Fail => new Markup("[red]Fail[/]"),
        CheckVerdicts.Inconclusive => new Markup("[yellow]Inconclusive[/]"),
        _ => Plain(verdict),
    };

    // The primary's value when the judge compared the two sides, else the metric's range.
    private static string Threshold(CheckView c) => (c.PrimaryValue, c.ThresholdMin, c.ThresholdMax) switch
    {
        ({ } primary, _, _) => "primary " + Value(primary, c.Metric),
        (null, { } min, { } max) => $"{Value(min, c.Metric)}..{Value(max, c.Metric)}",
        (null, { } min, null) => ">= " + Value(min, c.Metric),
        (null, null, { } max) => "<= " + Value(max, c.Metric),
        _ => "-",
    };

    /// <summary>A metric value with its unit: % for the success rate, ms for the duration.</summary>
    public static string Value(double? value, string? metric)
    {
        if (value is not { } v)
        {
            return "-";
        }

        var number = v.ToString("0.##", CultureInfo.InvariantCulture);
        return metric switch
        {
            BuiltInMetrics.RequestSuccessRate => number + "%",
            BuiltInMetrics.RequestDuration => number + "ms",
            _ => number,
        };
    }

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static Text Plain(string? text) => new(string.IsNullOrEmpty(text) ? "-" : text);
}
