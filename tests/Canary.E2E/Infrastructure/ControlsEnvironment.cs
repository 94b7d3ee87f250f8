using Canary.Sandbox.ApiServer.Auth;
using k8s;
using k8s.Models;

namespace Canary.E2E.Infrastructure;

/// <summary>
/// A Gateway API environment with a release manager: a ServiceAccount that holds nothing but the canary-operator
/// ClusterRole of manifests/operator, bound per namespace with a RoleBinding as the role's header documents.
/// </summary>
public sealed class ControlsEnvironment : E2EEnvironment
{
    private readonly Lock _install = new();
    private ServiceAccountIdentity? _operator;

    public ControlsEnvironment()
        : base(new E2EEnvironmentOptions { MeshProvider = GatewayApiEnvironment.Provider })
    {
    }

    /// <summary>A kubeconfig for the release manager, its context's namespace <paramref name="ns"/>, bound to canary-operator there.</summary>
    public async Task<string> OperatorKubeconfigAsync(string ns)
    {
        var role = await File.ReadAllTextAsync(Path.Combine(Crds.RepositoryRoot(), "manifests", "operator", "clusterrole.yaml"));
        ServiceAccountIdentity account;
        lock (_install)
        {
            account = _operator ??= ServiceAccountIdentity.Install(Cluster.Server,
            [
                "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: release-manager\n  namespace: release-managers\n",
                role,
            ]);
        }

        await Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "release-managers", NamespaceProperty = ns },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "canary-operator" },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = account.Name, NamespaceProperty = account.Namespace }],
            },
            ns);
        return Cluster.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"canary-e2e-operator-{ns}.kubeconfig"), ns, account.Token);
    }
}

/// <summary>Controls (CanaryRequests) from kubectl and kubectl-canary: their own environment, in parallel with the others.</summary>
[CollectionDefinition(Name)]
public sealed class ControlScenarios : ICollectionFixture<ControlsEnvironment>
{
    public const string Name = "gatewayapi controls";
}
