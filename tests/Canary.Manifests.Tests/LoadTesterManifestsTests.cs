using YamlDotNet.RepresentationModel;

namespace Canary.Manifests.Tests;

/// <summary>What `kubectl apply -k manifests/loadtester` would install, as rendered by the real kubectl.</summary>
public sealed class LoadTesterManifestsTests
{
    private static readonly IReadOnlyList<YamlMappingNode> Docs = Kustomize.Render("manifests/loadtester");

    [Fact]
    public void Renders_a_deployment_and_its_service_on_port_80()
    {
        Assert.Equal(["Deployment/canary-loadtester", "Service/canary-loadtester"], Docs.Select(d => $"{d.Kind()}/{d.Name()}").Order(StringComparer.Ordinal));
        var deployment = Docs.Single(d => d.Kind() == "Deployment");
        var service = Docs.Single(d => d.Kind() == "Service");

        var port = service.Seq("spec", "ports").Single();
        Assert.Equal("80", port.Str("port"));
        var container = deployment.Seq("spec", "template", "spec", "containers").Single();
        var named = container.Seq("ports").Single(p => p.Str("name") == port.Str("targetPort"));
        var args = container.Seq("args").Cast<YamlScalarNode>().Select(a => a.Value).ToList();
        Assert.Contains($"--port={named.Str("containerPort")}", args);
        Assert.Equal("ghcr.io/canary-dev/canary-loadtester:0.1.0", container.Str("image"));

        var labels = (YamlMappingNode)deployment.At("spec", "template", "metadata", "labels")!;
        foreach (var (key, value) in ((YamlMappingNode)service.At("spec", "selector")!).Children)
        {
            Assert.Equal(value, labels.Children[key]);
        }
    }

    [Fact]
    public void Runs_locked_down_with_probes_resources_and_no_token()
    {
        var pod = Docs.Single(d => d.Kind() == "Deployment").At("spec", "template", "spec")!;
        Assert.Equal("true", pod.Str("securityContext", "runAsNonRoot"));
        Assert.Equal("RuntimeDefault", pod.Str("securityContext", "seccompProfile", "type"));
        Assert.Equal("false", pod.Str("automountServiceAccountToken"));

        var container = pod.Seq("containers").Single();
        Assert.Equal("false", container.Str("securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("true", container.Str("securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("ALL", container.Seq("securityContext", "capabilities", "drop").Cast<YamlScalarNode>().Single().Value);
        Assert.NotNull(container.Str("resources", "requests", "cpu"));
        Assert.NotNull(container.Str("resources", "requests", "memory"));
        Assert.NotNull(container.Str("resources", "limits", "memory"));
        Assert.Equal("/healthz", container.Str("livenessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", container.Str("readinessProbe", "httpGet", "path"));
        Assert.Equal("http", container.Str("livenessProbe", "httpGet", "port"));
    }

    [Fact]
    public void Is_optional_in_the_install_and_is_what_the_example_canarys_webhooks_call()
    {
        var install = Kustomize.Render("manifests");
        Assert.DoesNotContain(install, d => d.Name() == "canary-loadtester");
        Assert.Contains("# - loadtester", File.ReadAllText(Path.Combine(Kustomize.RepoRoot, "manifests/kustomization.yaml")), StringComparison.Ordinal);

        var canary = Kustomize.Render("manifests/examples").Single(d => d.Kind() == "Canary");
        var urls = canary.Seq("spec", "analysis", "webhooks").Select(w => new Uri(w.Str("url")!)).ToList();
        Assert.Contains(urls, u => u.AbsolutePath == "/");
        Assert.All(urls, u => Assert.Equal($"canary-loadtester.{canary.Str("metadata", "namespace")}", u.Host));
    }
}
