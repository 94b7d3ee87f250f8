using System.CommandLine;

namespace Canary.Cli.Commands.Live;

/// <summary>The commands that talk to a cluster through the user's kubeconfig.</summary>
internal static class LiveCommands
{
    public static IEnumerable<Command> All() =>
    [
        ListCommand.Create(),
        StatusCommand.Create(),
        WatchCommand.Create(),
        .. ControlCommand.All(),
    ];
}
