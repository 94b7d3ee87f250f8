using System.CommandLine;
using Canary.Cli.Commands.Offline.Import;
using Canary.Cli.Commands.Offline.Lint;
using Canary.Cli.Commands.Offline.Plan;

namespace Canary.Cli.Commands.Offline;

/// <summary>The commands that read files only: no cluster needed.</summary>
internal static class OfflineCommands
{
    public static IEnumerable<Command> All() => [PlanCommand.Create(), ImportCommand.Create(), LintCommand.Create()];
}
