namespace Canary.Cli.Commands.Live;

/// <summary>A failure whose message is printed as it is (exit code 1): a Canary that does not exist, a request deleted while waited for.</summary>
internal sealed class CommandException : Exception
{
    public CommandException()
    {
    }

    public CommandException(string message)
        : base(message)
    {
    }

    public CommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static CommandException CanaryNotFound(string ns, string name) => new($"error: canary \"{name}\" not found in namespace \"{ns}\"");

    /// <summary>The server does not serve <paramref name="plural"/>.canary.dev: the CRD is not installed (kubectl's words, and what to do).</summary>
    public static CommandException NoResourceType(string plural, Exception innerException) =>
        new($"error: the server doesn't have a resource type \"{plural}\" (are the canary.dev CRDs of manifests/crds installed?)", innerException);
}
