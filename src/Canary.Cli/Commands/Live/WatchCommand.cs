using System.CommandLine;
using Canary.Cli.Commands.Live.Screen;
using Canary.Cli.Commands.Live.Watching;
using Canary.Cli.Output;
using Spectre.Console;

namespace Canary.Cli.Commands.Live;

/// <summary>
/// <c>kubectl canary watch NAME</c>: the status screen, live, until the rollout ends (exit 0 promoted, 1 rolled back or
/// deleted). On a terminal the screen is redrawn in place; otherwise each change is one appended line.
/// </summary>
internal static class WatchCommand
{
    /// <summary>Exit code when interrupted (Ctrl-C), as shells report SIGINT.</summary>
    public const int Interrupted = 130;

    public static Command Create()
    {
        var cluster = new ClusterOptions();
        var name = new Argument<string>("NAME") { Description = "Name of the Canary." };
        var command = new Command(
            "watch",
            "Follow a Canary's rollout live until it ends: exit code 0 when promoted, 1 when rolled back (or the Canary is deleted). An idle Canary is shown once.");
        command.Arguments.Add(name);
        cluster.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => ApiErrors.RunAsync(parseResult.InvocationConfiguration.Error, async () =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            using var connection = cluster.Connect(parseResult);
            var api = new LiveApi(connection.Client);
            var start = await CanarySnapshot.ReadAsync(api, connection.Namespace, parseResult.GetRequiredValue(name), cancellationToken);
            if (WatchState.OutcomeOf(start.Canary) != WatchOutcome.Running)
            {
                // Nothing in progress: the screen once, and the state's exit code.
                LiveOutput.Write(stdout, CanaryScreenRenderer.Render(start.Screen(), DateTimeOffset.UtcNow));
                return ExitCode(WatchState.OutcomeOf(start.Canary));
            }

            try
            {
                var session = new WatchSession(api, start);
                var last = LiveOutput.IsTerminal(stdout)
                    ? await RedrawAsync(stdout, session, cancellationToken)
                    : await AppendLinesAsync(stdout, session, cancellationToken);
                if (last.Outcome == WatchOutcome.Deleted)
                {
                    await stderr.WriteLineAsync($"canary {start.Canary.Metadata.NamespaceProperty}/{start.Canary.Metadata.Name} was deleted");
                }

                return ExitCode(last.Outcome);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Interrupted;
            }
        }));
        return command;
    }

    private static int ExitCode(WatchOutcome outcome) => outcome is WatchOutcome.Failed or WatchOutcome.Deleted ? 1 : 0;

    private static async Task<WatchState> AppendLinesAsync(TextWriter stdout, WatchSession session, CancellationToken cancellationToken)
    {
        WatchState? last = null;
        string? printed = null;
        await foreach (var state in session.StatesAsync(cancellationToken))
        {
            last = state;
            var line = WatchLogLine.Describe(state);
            if (line != printed)
            {
                await stdout.WriteLineAsync(WatchLogLine.Format(DateTimeOffset.Now, line).TrimEnd());
                await stdout.FlushAsync(cancellationToken);
                printed = line;
            }
        }

        return last ?? throw new InvalidOperationException("a watch yields at least its starting state");
    }

    private static async Task<WatchState> RedrawAsync(TextWriter stdout, WatchSession session, CancellationToken cancellationToken)
    {
        var console = Terminal.For(stdout, interactive: true);
        WatchState? last = null;
        await console.Live(new Text(string.Empty)).StartAsync(async context =>
        {
            await foreach (var state in session.StatesAsync(cancellationToken))
            {
                last = state;
                context.UpdateTarget(CanaryScreenRenderer.Render(state.Screen(), DateTimeOffset.UtcNow));
                context.Refresh();
            }
        });
        return last ?? throw new InvalidOperationException("a watch yields at least its starting state");
    }
}
