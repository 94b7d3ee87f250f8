using Canary.Api.V1Beta1;
using Canary.Cli.Tests.Support;
using Canary.Sandbox.ApiServer;
using k8s;
using k8s.Models;

namespace Canary.Cli.Tests.Live;

using Cli = Canary.Cli.Tests.Support.Cli;

/// <summary>A server enforcing RBAC (over TLS, as tokens need), for what a user with few rights sees.</summary>
public sealed class RbacCluster : LiveCluster
{
    protected override SandboxApiServerOptions Options => new() { EnforceRbac = true };

    /// <summary>A ServiceAccount in <paramref name="ns"/> bound to a Role of <paramref name="rules"/>; returns its token.</summary>
    public async Task<string> AccountAsync(string ns, string name, params V1PolicyRule[] rules)
    {
        await Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name } }, ns);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = name }, Rules = rules }, ns);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = name },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns }],
            },
            ns);
        return Server.Rbac.Tokens.Issue(ns, name);
    }

    /// <summary>
    /// A release manager: a ServiceAccount in <paramref name="ns"/> bound there to the canary-operator ClusterRole exactly
    /// as shipped (manifests/operator); returns its token.
    /// </summary>
    public async Task<string> OperatorAsync(string ns)
    {
        var role = KubernetesYaml.Deserialize<V1ClusterRole>(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "manifests", "operator", "clusterrole.yaml")));
        if ((await Client.RbacAuthorizationV1.ListClusterRoleAsync()).Items.All(r => r.Metadata.Name != role.Metadata.Name))
        {
            await Client.RbacAuthorizationV1.CreateClusterRoleAsync(role);
        }

        await Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "release-manager" } }, ns);
        await Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "release-managers" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role.Metadata.Name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "release-manager", NamespaceProperty = ns }],
            },
            ns);
        return Server.Rbac.Tokens.Issue(ns, "release-manager");
    }
}

/// <summary>What a release manager holding only the canary-operator role can do, and refusals printed as kubectl prints them.</summary>
public sealed class ApiErrorTests(RbacCluster cluster) : IClassFixture<RbacCluster>
{
    private static readonly V1PolicyRule ReadCanaries = new() { ApiGroups = ["canary.dev"], Resources = ["canaries"], Verbs = ["get", "list", "watch"] };
    private static readonly V1PolicyRule ReadEvents = new() { ApiGroups = [""], Resources = ["events"], Verbs = ["list", "watch"] };

    [Fact]
    public async Task A_forbidden_list_is_reported_word_for_word_as_kubectl_reports_it()
    {
        var ns = await cluster.NewNamespaceAsync();
        var environment = cluster.Env(ns, await cluster.OperatorAsync(ns));

        var run = await Cli.RunAsync(["list", "-A"], environment: environment);
        var kubectl = await Cli.RunProcessAsync(
            "/usr/bin/kubectl", ["get", "canaries.canary.dev", "-A", "--cache-dir", Path.Combine(cluster.WorkDir, "cache")], environment: environment);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"Error from server (Forbidden): canaries.canary.dev is forbidden: User \"system:serviceaccount:{ns}:release-manager\" cannot list resource \"canaries\" in API group \"canary.dev\" at the cluster scope",
            run.Stderr.Trim());
        Assert.Equal(kubectl.Stderr.Trim(), run.Stderr.Trim());
    }

    [Fact]
    public async Task A_release_manager_sees_everything_but_the_images_which_the_role_does_not_grant()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.DeploymentAsync(ns, "podinfo", "ghcr.io/stefanprodan/podinfo:6.0.1");
        var canary = await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), StatusCommandTests.RolloutStatus(DateTime.UtcNow.AddMinutes(-30)));
        await cluster.EventAsync(canary, $"Advance podinfo.{ns} canary weight 20");
        var environment = cluster.Env(ns, await cluster.OperatorAsync(ns));

        var status = await Cli.RunAsync(["status", "podinfo"], environment: environment);
        var list = await Cli.RunAsync(["list"], environment: environment);

        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("Target:         Deployment podinfo, revision 7f9c8d\n", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("image", status.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Advance podinfo.{ns} canary weight 20", status.Stdout, StringComparison.Ordinal);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Matches(@"(?m)^podinfo\s+Progressing \(paused\)\s+20\s+2/5", list.Stdout);
    }

    [Fact]
    public async Task A_release_manager_pauses_and_watches_a_release_to_its_end()
    {
        var ns = await cluster.NewNamespaceAsync();
        var canary = await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), WatchCommandTests.Progressing(20));
        var environment = cluster.Env(ns, await cluster.OperatorAsync(ns));
        var version = await cluster.RequestsVersionAsync(ns);

        var pause = Cli.RunAsync(["pause", "podinfo", "--reason", "schema migration"], environment: environment);
        var request = await cluster.NextRequestAsync(ns, version);
        await cluster.AnswerAsync(request, CanaryControls.Accepted, "holding at weight 20 until resumed");
        var paused = await pause;
        Assert.True(paused.ExitCode == 0, paused.Stderr);
        Assert.Equal("podinfo: pause accepted — holding at weight 20 until resumed", paused.Stdout.Trim());

        await using var watch = RunningCli.Start(["watch", "podinfo"], environment);
        await watch.NextLineAsync(l => l.Contains("weight 20%", StringComparison.Ordinal));
        await cluster.EventAsync(canary, $"Promotion completed! Scaling down podinfo.{ns}");
        await watch.NextLineAsync(l => l.Contains("Promotion completed!", StringComparison.Ordinal));
        await cluster.SetStatusAsync(ns, "podinfo", new CanaryStatus { Phase = CanaryPhase.Succeeded });
        var watched = await watch.ExitAsync();
        Assert.True(watched.ExitCode == 0, watched.Stderr);
    }

    [Fact]
    public async Task A_control_without_the_right_to_create_requests_is_refused_by_the_server()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.CreateCanaryAsync(ns, LiveCluster.Podinfo(), WatchCommandTests.Progressing(20));
        var token = await cluster.AccountAsync(ns, "viewer", ReadCanaries, ReadEvents);

        var run = await Cli.RunAsync(["pause", "podinfo"], environment: cluster.Env(ns, token));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"Error from server (Forbidden): canaryrequests.canary.dev is forbidden: User \"system:serviceaccount:{ns}:viewer\" cannot create resource \"canaryrequests\" in API group \"canary.dev\" in the namespace \"{ns}\"",
            run.Stderr.Trim());
    }

    [Fact]
    public async Task Without_any_kubeconfig_it_says_where_it_looked()
    {
        var home = Directory.CreateTempSubdirectory("cli-home-").FullName;
        try
        {
            var run = await Cli.RunAsync(["list"], environment: new Dictionary<string, string> { ["HOME"] = home, ["KUBECONFIG"] = "", ["KUBERNETES_SERVICE_HOST"] = "" });

            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith("error: no configuration found", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_as_kubectl_does()
    {
        var kubeconfig = KubeconfigWriter.Write(new Uri("http://127.0.0.1:1/"), Path.Combine(cluster.WorkDir, "unreachable"));

        var run = await Cli.RunAsync(["list", "--kubeconfig", kubeconfig]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Unable to connect to the server: ", run.Stderr, StringComparison.Ordinal);
    }
}
