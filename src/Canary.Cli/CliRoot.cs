using System.CommandLine;
using Canary.Cli.Commands.Live;
using Canary.Cli.Commands.Offline;

namespace Canary.Cli;

/// <summary>The <c>kubectl canary</c> command tree: commands on a cluster (live) and on files (offline).</summary>
public static class CliRoot
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("kubectl canary: watch and steer progressive deliveries (canary.dev/v1beta1 Canaries).");
        foreach (var command in LiveCommands.All().Concat(OfflineCommands.All()))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
