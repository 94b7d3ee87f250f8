using System.CommandLine;
using Canary.Cli.Commands.Live.Screen;
using Canary.Cli.Output;

namespace Canary.Cli.Commands.Live;

/// <summary><c>kubectl canary list [-A] [-o json|yaml]</c>: every Canary and where its rollout stands.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var cluster = new ClusterOptions();
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "List the Canaries of every namespace." };
        var output = OutputOption.Create();
        var command = new Command("list", "List the Canaries of the namespace (-A: of every namespace) with their phase, weight, step and last verdict.");
        cluster.AddTo(command);
        command.Options.Add(allNamespaces);
        command.Options.Add(output);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            return ApiErrors.RunAsync(stderr, async () =>
            {
                using var connection = cluster.Connect(parseResult);
                var all = parseResult.GetValue(allNamespaces);
                var list = await new LiveApi(connection.Client).ListCanariesAsync(all ? null : connection.Namespace, cancellationToken);
                var now = DateTimeOffset.UtcNow;
                var rows = list.Items
                    .OrderBy(c => c.Metadata.NamespaceProperty, StringComparer.Ordinal)
                    .ThenBy(c => c.Metadata.Name, StringComparer.Ordinal)
                    .Select(c => CanaryRow.Of(c, now))
                    .ToList();
                var format = parseResult.GetValue(output);
                if (format != OutputFormat.Text)
                {
                    StructuredOutput.Write(stdout, rows, format);
                }
                else if (rows.Count == 0)
                {
                    await stderr.WriteLineAsync(all ? "No resources found" : $"No resources found in {connection.Namespace} namespace.");
                }
                else
                {
                    LiveOutput.Write(stdout, CanaryListRenderer.Render(rows, all));
                }

                return 0;
            });
        });
        return command;
    }
}
