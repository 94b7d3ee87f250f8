using System.CommandLine;
using Canary.Cli.Commands.Live.Screen;
using Canary.Cli.Output;

namespace Canary.Cli.Commands.Live;

/// <summary><c>kubectl canary status NAME [-o json|yaml]</c>: one screen on a Canary's rollout.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var cluster = new ClusterOptions();
        var name = new Argument<string>("NAME") { Description = "Name of the Canary." };
        var output = OutputOption.Create();
        var command = new Command(
            "status",
            "Show a Canary's rollout: target and primary revisions and images, phase and weight, the timeline, the checks, the webhooks' answers, the controls handled and the recent Events.");
        command.Arguments.Add(name);
        cluster.AddTo(command);
        command.Options.Add(output);
        command.SetAction((parseResult, cancellationToken) => ApiErrors.RunAsync(parseResult.InvocationConfiguration.Error, async () =>
        {
            using var connection = cluster.Connect(parseResult);
            var snapshot = await CanarySnapshot.ReadAsync(new LiveApi(connection.Client), connection.Namespace, parseResult.GetRequiredValue(name), cancellationToken);
            var stdout = parseResult.InvocationConfiguration.Output;
            var format = parseResult.GetValue(output);
            if (format == OutputFormat.Text)
            {
                LiveOutput.Write(stdout, CanaryScreenRenderer.Render(snapshot.Screen(), DateTimeOffset.UtcNow));
            }
            else
            {
                StructuredOutput.Write(stdout, snapshot.Screen(), format);
            }

            return 0;
        }));
        return command;
    }
}
