using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Canary.Api.Durations;
using Canary.Api.V1Beta1;
using Canary.Cli.Commands.Live.Controls;
using Canary.Cli.Output;
using k8s.Models;

namespace Canary.Cli.Commands.Live;

/// <summary>
/// <c>kubectl canary promote|abort|pause|resume|retry|skip-analysis NAME [--reason TEXT] [--timeout 60s] [--no-wait] [-o json|yaml]</c>
/// (promote also takes <c>--force</c>): creates a CanaryRequest owned by the Canary, then waits for the controller's answer.
/// Exit codes: 0 accepted (or created, with --no-wait), 1 refused or failed, 2 no answer in time.
/// </summary>
internal static class ControlCommand
{
    /// <summary>Exit code when the controller did not answer within --timeout.</summary>
    public const int NoAnswer = 2;

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        [CanaryControls.Promote] = "Skip the remaining steps and promote; the confirm-promotion gates still decide (--force: they are skipped too).",
        [CanaryControls.Abort] = "Roll the release in progress back now.",
        [CanaryControls.Pause] = "Hold the weight: checks keep running and are recorded, none counts as failed, nothing advances.",
        [CanaryControls.Resume] = "Advance a paused release again from the held weight.",
        [CanaryControls.Retry] = "Analyse the revision of a failed release again, without touching the workload.",
        [CanaryControls.SkipAnalysis] = "Promote the current (or the next) release without analysis.",
    };

    /// <summary>One command per action, in <see cref="CanaryControls.All"/> order.</summary>
    public static IEnumerable<Command> All() => CanaryControls.All.Select(Create);

    private static Command Create(string action)
    {
        var cluster = new ClusterOptions();
        var name = new Argument<string>("NAME") { Description = "Name of the Canary." };
        var reason = new Option<string?>("--reason") { Description = "Why, in your words: recorded in the request, the Canary's status and its Event.", HelpName = "text" };
        var force = new Option<bool>("--force") { Description = "Skip the confirm-promotion gates too." };
        var noWait = new Option<bool>("--no-wait") { Description = "Create the request and print its name without waiting for the controller's answer." };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = "How long to wait for the controller's answer, e.g. 30s or 2m (default 60s); exit code 2 when none came.",
            HelpName = "duration",
            CustomParser = ParseTimeout,
        };
        var output = OutputOption.Create();
        var command = new Command(action, Descriptions[action] + " Exit 0 accepted, 1 refused, 2 no answer.");
        command.Arguments.Add(name);
        command.Options.Add(reason);
        if (action == CanaryControls.Promote)
        {
            command.Options.Add(force);
        }

        command.Options.Add(timeout);
        command.Options.Add(noWait);
        command.Options.Add(output);
        cluster.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => ApiErrors.RunAsync(parseResult.InvocationConfiguration.Error, async () =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var format = parseResult.GetValue(output);
            using var connection = cluster.Connect(parseResult);
            var api = new LiveApi(connection.Client);
            var canaryName = parseResult.GetRequiredValue(name);
            var canary = await api.FindCanaryAsync(connection.Namespace, canaryName, cancellationToken)
                ?? throw CommandException.CanaryNotFound(connection.Namespace, canaryName);
            var created = await api.CreateRequestAsync(
                CanaryRequest.For(canary, action, action == CanaryControls.Promote && parseResult.GetValue(force), parseResult.GetValue(reason)), cancellationToken);
            if (parseResult.GetValue(noWait))
            {
                Print(stdout, created, format, created.Metadata.Name);
                return 0;
            }

            var wait = parseResult.GetValue(timeout) ?? DefaultTimeout;
            var answered = await RequestWaiter.WaitAsync(api, created, wait, cancellationToken);
            if (answered is null)
            {
                await stderr.WriteLineAsync(
                    $"{canaryName}: no answer from the controller within {Seconds(wait)} (is it running?); the request {created.Metadata.Name} stays pending");
                return NoAnswer;
            }

            var verdict = answered.Status?.Result == CanaryControls.Accepted ? "accepted" : "refused";
            var line = $"{canaryName}: {action} {verdict}" + (string.IsNullOrEmpty(answered.Status?.Message) ? string.Empty : " — " + answered.Status.Message);
            if (verdict == "accepted")
            {
                Print(stdout, answered, format, line);
                return 0;
            }

            if (format != OutputFormat.Text)
            {
                StructuredOutput.Write(stdout, answered, format);
            }

            await stderr.WriteLineAsync(line);
            return ApiErrors.Failed;
        }));
        return command;
    }

    private static void Print(TextWriter stdout, CanaryRequest request, OutputFormat format, string text)
    {
        if (format == OutputFormat.Text)
        {
            stdout.WriteLine(text);
        }
        else
        {
            StructuredOutput.Write(stdout, request, format);
        }
    }

    private static TimeSpan? ParseTimeout(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (GoDuration.TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        result.AddError($"invalid --timeout \"{text}\": use a duration such as 30s or 2m");
        return DefaultTimeout;
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds == Math.Floor(value.TotalSeconds)
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalSeconds}s")
        : GoDuration.Format(value);
}
