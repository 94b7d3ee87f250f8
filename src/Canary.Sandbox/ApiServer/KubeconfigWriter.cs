namespace Canary.Sandbox.ApiServer;

/// <summary>Writes a kubeconfig that points kubectl and KubernetesClient at a sandbox server (plain HTTP, no credentials).</summary>
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
              user: {}
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
