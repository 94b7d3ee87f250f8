using System.CommandLine;

namespace Canary.Cli.Commands.Offline;

/// <summary>The commands that read files only: no cluster needed.</summary>
internal static class OfflineCommands
{
    public static IEnumerable<Command> All() => [];
}
