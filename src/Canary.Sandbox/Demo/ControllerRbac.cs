using System.Reflection;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Auth;

namespace Canary.Sandbox.Demo;

/// <summary>The controller's ServiceAccount, ClusterRole, Role and bindings from <c>manifests/rbac</c> (embedded at build time).</summary>
public static class ControllerRbac
{
    /// <summary>The YAML documents of manifests/rbac, in file-name order.</summary>
    public static IReadOnlyList<string> Documents()
    {
        var assembly = typeof(ControllerRbac).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("rbac/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => Read(assembly, n))];
    }

    /// <summary>Installs the RBAC objects into <paramref name="server"/> and returns the controller's identity with a fresh token.</summary>
    public static ServiceAccountIdentity Install(SandboxApiServer server) => ServiceAccountIdentity.Install(server, Documents());

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
