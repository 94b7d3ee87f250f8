using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Auth;
using Canary.Sandbox.Demo;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Sandbox.Tests;

/// <summary>
/// The sandbox with RBAC enforced, checked against what a real API server answers: bearer tokens of ServiceAccounts,
/// ClusterRoleBindings everywhere, RoleBindings in their namespace only, subresources, resourceNames, and 403s word for
/// word, through KubernetesClient and the real kubectl. The rules are the controller's own, from manifests/rbac.
/// </summary>
public sealed class RbacEnforcementTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("rbac-tests-").FullName;
    private SandboxApiServer _server = null!;
    private IKubernetes _admin = null!;
    private ServiceAccountIdentity _controller = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { EnforceRbac = true });
        _admin = _server.CreateClient();
        _controller = ControllerRbac.Install(_server);
        await _admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "apps" } });
        await _admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" } }, "apps");
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task The_controller_account_does_what_its_ClusterRole_grants_and_is_refused_the_rest_with_the_real_message()
    {
        using var controller = _server.CreateClient(_controller.Token);

        var configMaps = await controller.CoreV1.ListConfigMapForAllNamespacesAsync();
        Assert.Contains(configMaps.Items, c => c.Metadata.Name == "settings");

        var pods = await Assert.ThrowsAsync<HttpOperationException>(() => controller.CoreV1.ListNamespacedPodAsync("apps"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, pods.Response.StatusCode);
        Assert.Contains(
            "pods is forbidden: User \"system:serviceaccount:canary-system:canary-controller\" cannot list resource \"pods\" in API group \"\" in the namespace \"apps\"",
            MessageOf(pods), StringComparison.Ordinal);

        // Canaries' finalizers can be changed, but a Canary cannot be deleted: the controller never deletes its users' resources.
        var delete = await Assert.ThrowsAsync<HttpOperationException>(() =>
            controller.CustomObjects.DeleteNamespacedCustomObjectAsync("canary.dev", "v1beta1", "apps", "canaries", "podinfo"));
        Assert.Contains(
            "canaries.canary.dev \"podinfo\" is forbidden: User \"system:serviceaccount:canary-system:canary-controller\" cannot delete resource \"canaries\" in API group \"canary.dev\" in the namespace \"apps\"",
            MessageOf(delete), StringComparison.Ordinal);

        Assert.Contains("core pods list", string.Join('\n', _server.Rbac.Denied), StringComparison.Ordinal);
        Assert.Contains(_server.Rbac.Used, u => u.Role == "ClusterRole/canary-controller" && u.Permission == "core configmaps list");
    }

    [Fact]
    public async Task A_RoleBinding_grants_only_in_its_namespace_and_subresources_need_their_own_rule()
    {
        using var controller = _server.CreateClient(_controller.Token);
        var lease = new V1Lease { Metadata = new V1ObjectMeta { Name = "lock" }, Spec = new V1LeaseSpec { HolderIdentity = "me" } };

        await controller.CoordinationV1.CreateNamespacedLeaseAsync(lease, "canary-system");
        var elsewhere = await Assert.ThrowsAsync<HttpOperationException>(() => controller.CoordinationV1.CreateNamespacedLeaseAsync(lease, "apps"));
        Assert.Contains(
            "leases.coordination.k8s.io is forbidden: User \"system:serviceaccount:canary-system:canary-controller\" cannot create resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"apps\"",
            MessageOf(elsewhere), StringComparison.Ordinal);

        // A rule on deployments does not reach their subresources: the ClusterRole grants no deployments/scale.
        await _admin.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "apps");
        Assert.Equal(1, (await controller.AppsV1.ReadNamespacedDeploymentAsync("web", "apps")).Spec.Replicas);
        var scale = await Assert.ThrowsAsync<HttpOperationException>(() => controller.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "apps"));
        Assert.Contains("cannot get resource \"deployments/scale\" in API group \"apps\" in the namespace \"apps\"", MessageOf(scale), StringComparison.Ordinal);

        // Cluster-scoped: a namespace's own URL is authorized in that namespace; listing them all is at the cluster scope.
        var namespaces = await Assert.ThrowsAsync<HttpOperationException>(() => controller.CoreV1.ListNamespaceAsync());
        Assert.Contains("cannot list resource \"namespaces\" in API group \"\" at the cluster scope", MessageOf(namespaces), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResourceNames_limit_a_rule_to_the_named_objects_and_a_deleted_account_stops_authenticating()
    {
        await _admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "reader" } }, "apps");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(
            new V1Role
            {
                Metadata = new V1ObjectMeta { Name = "settings-reader" },
                Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], Verbs = ["get"], ResourceNames = ["settings"] }],
            },
            "apps");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "reader" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "settings-reader" },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "reader", NamespaceProperty = "apps" }],
            },
            "apps");
        using var reader = _server.CreateClient(_server.Rbac.Tokens.Issue("apps", "reader"));

        Assert.Equal("settings", (await reader.CoreV1.ReadNamespacedConfigMapAsync("settings", "apps")).Metadata.Name);
        var other = await Assert.ThrowsAsync<HttpOperationException>(() => reader.CoreV1.ReadNamespacedConfigMapAsync("other", "apps"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, other.Response.StatusCode);
        var list = await Assert.ThrowsAsync<HttpOperationException>(() => reader.CoreV1.ListNamespacedConfigMapAsync("apps"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, list.Response.StatusCode);

        await _admin.CoreV1.DeleteNamespacedServiceAccountAsync("reader", "apps");
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => reader.CoreV1.ReadNamespacedConfigMapAsync("settings", "apps"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, gone.Response.StatusCode);
    }

    [Fact]
    public async Task Kubectl_as_the_controller_sees_the_real_forbidden_error_and_without_a_token_is_unauthorized()
    {
        var asController = new Kubectl(_server.WriteKubeconfig(Path.Combine(_work, "controller"), "apps", _controller.Token), Path.Combine(_work, "cache1"));
        var anonymous = new Kubectl(_server.WriteKubeconfig(Path.Combine(_work, "stranger"), "apps", "not-a-token"), Path.Combine(_work, "cache2"));

        Assert.Contains("settings", await asController.OkAsync("get configmaps"), StringComparison.Ordinal);
        var pods = await asController.RunAsync("get pods");
        Assert.NotEqual(0, pods.ExitCode);
        Assert.Contains(
            "Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:canary-system:canary-controller\" cannot list resource \"pods\" in API group \"\" in the namespace \"apps\"",
            pods.Stderr, StringComparison.Ordinal);
        var auth = await asController.RunAsync("auth can-i list pods");
        Assert.NotEqual(0, auth.ExitCode);

        var stranger = await anonymous.RunAsync("get configmaps");
        Assert.NotEqual(0, stranger.ExitCode);
        Assert.Contains("You must be logged in to the server", stranger.Stderr, StringComparison.Ordinal);
    }

    private static string MessageOf(HttpOperationException e) => KubernetesJson.Deserialize<V1Status>(e.Response.Content).Message;

    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = "podinfo:1" }] },
            },
        },
    };
}
