using System.CommandLine;

namespace Canary.Cli.Commands.Live;

/// <summary>kubectl's connection flags (<c>--kubeconfig</c>, <c>--context</c>, <c>-n/--namespace</c>), added to each live command.</summary>
internal sealed class ClusterOptions
{
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).",
        HelpName = "path",
    };

    public Option<string?> Context { get; } = new("--context")
    {
        Description = "The kubeconfig context to use (default: its current context).",
        HelpName = "name",
    };

    public Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "Namespace of the Canary (default: the context's namespace).",
        HelpName = "namespace",
    };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Kubeconfig);
        command.Options.Add(Context);
        command.Options.Add(Namespace);
    }

    /// <summary>Connects as the flags say.</summary>
    public ClusterConnection Connect(ParseResult parseResult) =>
        ClusterConnection.Open(parseResult.GetValue(Kubeconfig), parseResult.GetValue(Context), parseResult.GetValue(Namespace));
}
