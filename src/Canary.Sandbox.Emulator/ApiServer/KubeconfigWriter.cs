namespace Canary.Sandbox.ApiServer;

/// <summary>Writes a kubeconfig that points kubectl and KubernetesClient at a sandbox server (plain HTTP; the token is a placeholder the server ignores).</summary>
public static class KubeconfigWriter
{
    public static string Render(Uri server, string defaultNamespace = "default")
    {
        ArgumentNullException.ThrowIfNull(server);
        return $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {{server.GetLeftPart(UriPartial.Authority)}}
            contexts:
            - name: sandbox
              context:
                cluster: sandbox
                user: sandbox
                namespace: {{defaultNamespace}}
            current-context: sandbox
            users:
            - name: sandbox
              user:
                # KubernetesClient refuses a user with no credentials at all; the server does not check it.
                token: sandbox
            preferences: {}

            """;
    }

    /// <summary>Writes the kubeconfig to a file (creating its folder) and returns the full path.</summary>
    public static string Write(Uri server, string path, string defaultNamespace = "default")
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, Render(server, defaultNamespace));
        return full;
    }
}
