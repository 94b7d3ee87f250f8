namespace Canary.Sandbox.ApiServer;

/// <summary>Writes a kubeconfig that points kubectl and KubernetesClient at a sandbox server (plain HTTP, a bearer token: the admin's by default).</summary>
public static class KubeconfigWriter
{
    public static string Render(Uri server, string defaultNamespace = "default", string token = Auth.ServiceAccountTokens.AdminToken, string? caPem = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var ca = caPem is null ? string.Empty : "\n    certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(caPem));
        return $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {{server.GetLeftPart(UriPartial.Authority)}}{{ca}}
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
                token: {{token}}
            preferences: {}

            """;
    }

    /// <summary>Writes the kubeconfig to a file (creating its folder) and returns the full path.</summary>
    public static string Write(Uri server, string path, string defaultNamespace = "default", string token = Auth.ServiceAccountTokens.AdminToken, string? caPem = null)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, Render(server, defaultNamespace, token, caPem));
        return full;
    }
}
