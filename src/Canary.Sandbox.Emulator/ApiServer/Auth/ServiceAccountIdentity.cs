using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Http;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Sandbox.ApiServer.Auth;

/// <summary>A ServiceAccount installed with its RBAC objects, and a token to act as it.</summary>
public sealed record ServiceAccountIdentity(string Namespace, string Name, string Token)
{
    private static readonly Dictionary<string, GroupVersionResource> Kinds = new(StringComparer.Ordinal)
    {
        ["ServiceAccount"] = BuiltInResources.ServiceAccounts,
        ["Role"] = BuiltInResources.Roles,
        ["ClusterRole"] = BuiltInResources.ClusterRoles,
        ["RoleBinding"] = BuiltInResources.RoleBindings,
        ["ClusterRoleBinding"] = BuiltInResources.ClusterRoleBindings,
    };

    /// <summary>The user name RBAC subjects and 403 messages use for this account.</summary>
    public string UserName => SandboxUser.ServiceAccount(Namespace, Name).Name;

    /// <summary>
    /// Creates the ServiceAccount, Roles, ClusterRoles and bindings of <paramref name="yamlDocuments"/> (an install's
    /// <c>rbac</c> folder, as <c>kubectl apply</c> would; their namespaces are created when missing) and issues a token
    /// for the one ServiceAccount they hold.
    /// </summary>
    public static ServiceAccountIdentity Install(SandboxApiServer server, IEnumerable<string> yamlDocuments)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(yamlDocuments);
        var objects = yamlDocuments.SelectMany(YamlToJson.ParseAll).OfType<JsonObject>().ToList();
        var accounts = objects.Where(o => (string?)o["kind"] == "ServiceAccount").ToList();
        if (accounts.Count != 1)
        {
            throw new ArgumentException($"expected exactly one ServiceAccount in the RBAC manifests, found {accounts.Count}", nameof(yamlDocuments));
        }

        foreach (var obj in objects)
        {
            var kind = (string?)obj["kind"] ?? string.Empty;
            if (!Kinds.TryGetValue(kind, out var resource))
            {
                throw new ArgumentException($"the RBAC manifests hold a {kind}, which is not an RBAC object", nameof(yamlDocuments));
            }

            var ns = (string?)obj["metadata"]?["namespace"];
            if (ns is not null)
            {
                EnsureNamespace(server, ns);
            }

            server.Store.Create(resource, ns, obj);
        }

        var account = accounts[0]["metadata"]!;
        var accountNamespace = (string?)account["namespace"] ?? throw new ArgumentException("the ServiceAccount has no namespace", nameof(yamlDocuments));
        var name = (string?)account["name"] ?? throw new ArgumentException("the ServiceAccount has no name", nameof(yamlDocuments));
        return new ServiceAccountIdentity(accountNamespace, name, server.Rbac.Tokens.Issue(accountNamespace, name));
    }

    /// <summary><see cref="Install"/> with every <c>*.yaml</c> of <paramref name="directory"/> but a kustomization, in name order.</summary>
    public static ServiceAccountIdentity InstallFromDirectory(SandboxApiServer server, string directory) => Install(
        server,
        Directory.GetFiles(directory, "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText));

    private static void EnsureNamespace(SandboxApiServer server, string ns)
    {
        try
        {
            server.Store.Get(BuiltInResources.Namespaces, null, ns);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            server.Store.Create(BuiltInResources.Namespaces, null, new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns },
            });
        }
    }
}
