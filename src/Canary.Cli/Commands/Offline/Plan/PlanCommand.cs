using System.CommandLine;
using Canary.Cli.Commands.Offline.Documents;
using Canary.Cli.Output;
using Spectre.Console;

namespace Canary.Cli.Commands.Offline.Plan;

/// <summary>
/// <c>plan FILE</c>: the timeline the controller will follow for each Canary of a file, offline. Exit 1 when a Canary is
/// refused by the controller's validation, the file cannot be read or holds no Canary; 0 otherwise (warnings included).
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE")
        {
            Description = "YAML file with one or more Canaries (canary.dev/v1beta1 or flagger.app/v1beta1); - reads stdin",
        };
        var output = OutputOption.Create();
        var meshProvider = MeshProviderOption.Create();
        var command = new Command(
            "plan",
            "Show the timeline a Canary will follow, offline: each step's weight or iteration and its earliest time, the gates and "
            + "hooks, the earliest promotion, how soon a bad release is rolled back, and warnings. Uses the controller's own "
            + "defaults, validation and state machine.")
        {
            file, output, meshProvider,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(file)!, parse.GetValue(output), parse.GetValue(meshProvider)!, parse.InvocationConfiguration, ct));
        return command;
    }

    private static async Task<int> RunAsync(string file, OutputFormat format, string meshProvider, InvocationConfiguration io, CancellationToken cancellationToken)
    {
        ManifestStream stream;
        try
        {
            stream = await ManifestReader.ReadAsync(file, Console.In, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await io.Error.WriteLineAsync($"plan: cannot read {file}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        if (stream.Error is { } error)
        {
            await io.Error.WriteLineAsync($"{file}:{error.Document}: {error.Located}").ConfigureAwait(false);
            return 1;
        }

        var plans = stream.Documents
            .Where(d => ApiObjects.KindOf(d) == ApiKind.Canary)
            .Select(d => RolloutPlanner.For(d, meshProvider))
            .ToList();
        if (plans.Count == 0)
        {
            await io.Error.WriteLineAsync($"plan: {file} holds no Canary (canary.dev/v1beta1 or flagger.app/v1beta1)").ConfigureAwait(false);
            return 1;
        }

        foreach (var plan in plans)
        {
            foreach (var refused in plan.Errors)
            {
                await io.Error.WriteLineAsync($"{plan.File}:{plan.Document}: {refused.Field}: {refused.Message}").ConfigureAwait(false);
            }
        }

        if (format == OutputFormat.Text)
        {
            OfflineConsole.Render(io.Output, console =>
            {
                for (var i = 0; i < plans.Count; i++)
                {
                    if (i > 0)
                    {
                        console.WriteLine();
                    }

                    PlanPrinter.Write(console, plans[i]);
                }
            });
        }
        else
        {
            StructuredOutput.Write(io.Output, plans, format);
        }

        return plans.Any(p => p.Errors.Count > 0) ? 1 : 0;
    }
}
