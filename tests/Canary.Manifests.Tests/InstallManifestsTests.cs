using Canary.Providers.Registry;
using Canary.Rollout.Targets;
using YamlDotNet.RepresentationModel;

namespace Canary.Manifests.Tests;

/// <summary>What `kubectl apply -k manifests/` would install, as rendered by the real kubectl.</summary>
public sealed class InstallManifestsTests
{
    private static readonly IReadOnlyList<YamlMappingNode> Install = Kustomize.Render("manifests");

    private static IEnumerable<YamlMappingNode> OfKind(string kind) => Install.Where(d => d.Kind() == kind);

    private static YamlMappingNode Single(string kind, string name) =>
        Install.Single(d => d.Kind() == kind && d.Name() == name);

    [Fact]
    public void Installs_every_part_of_the_controller()
    {
        var kinds = Install.Select(d => $"{d.Kind()}/{d.Name()}").ToHashSet();

        Assert.Contains("Namespace/canary-system", kinds);
        Assert.Contains("CustomResourceDefinition/canaries.canary.dev", kinds);
        Assert.Contains("CustomResourceDefinition/metrictemplates.canary.dev", kinds);
        Assert.Contains("CustomResourceDefinition/alertproviders.canary.dev", kinds);
        Assert.Contains("CustomResourceDefinition/canaryrequests.canary.dev", kinds);
        Assert.Contains("ClusterRole/canary-operator", kinds);
        Assert.Contains("ServiceAccount/canary-controller", kinds);
        Assert.Contains("ClusterRole/canary-controller", kinds);
        Assert.Contains("ClusterRoleBinding/canary-controller", kinds);
        Assert.Contains("Role/canary-leader-election", kinds);
        Assert.Contains("Deployment/canary-controller", kinds);
        Assert.Contains("Service/canary-controller-metrics", kinds);
    }

    [Fact]
    public void Namespaced_objects_land_in_the_controller_namespace()
    {
        var clusterScoped = new HashSet<string> { "Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding" };
        foreach (var doc in Install.Where(d => !clusterScoped.Contains(d.Kind())))
        {
            Assert.Equal("canary-system", doc.Str("metadata", "namespace"));
        }
    }

    [Fact]
    public void Each_crd_has_a_structural_schema_and_the_status_subresource()
    {
        var crds = OfKind("CustomResourceDefinition").ToList();
        Assert.Equal(4, crds.Count);
        foreach (var crd in crds)
        {
            Assert.Equal("canary.dev", crd.Str("spec", "group"));
            Assert.Equal("Namespaced", crd.Str("spec", "scope"));
            var version = Assert.Single(crd.Seq("spec", "versions"));
            Assert.Equal("v1beta1", version.Str("name"));
            Assert.Equal("true", version.Str("served"));
            Assert.Equal("true", version.Str("storage"));
            Assert.NotNull(version.At("subresources", "status"));

            var schema = version.At("schema", "openAPIV3Schema");
            Assert.NotNull(schema);
            AssertStructural(schema!, crd.Name());
            Assert.Equal("object", schema!.Str("properties", "spec", "type"));
        }
    }

    [Fact]
    public void Canary_crd_prints_status_weight_failed_checks_and_last_transition()
    {
        var version = Single("CustomResourceDefinition", "canaries.canary.dev").Seq("spec", "versions").Single();
        var columns = version.Seq("additionalPrinterColumns")
            .Where(c => c.Str("priority") is null or "0")
            .ToDictionary(c => c.Str("name")!, c => c.Str("jsonPath")!);

        Assert.Equal(".status.phase", columns["Status"]);
        Assert.Equal(".status.canaryWeight", columns["Weight"]);
        Assert.Equal(".status.failedChecks", columns["FailedChecks"]);
        Assert.Equal(".status.lastTransitionTime", columns["LastTransitionTime"]);
        Assert.Equal(".metadata.creationTimestamp", columns["Age"]);
    }

    [Fact]
    public void Rbac_names_every_resource_and_verb_without_wildcards()
    {
        foreach (var rule in OfKind("ClusterRole").Concat(OfKind("Role")).SelectMany(r => r.Seq("rules")))
        {
            var values = rule.Seq("apiGroups").Concat(rule.Seq("resources")).Concat(rule.Seq("verbs"))
                .Select(n => ((YamlScalarNode)n).Value).ToList();
            Assert.DoesNotContain("*", values);
            Assert.Empty(rule.Seq("nonResourceURLs"));
        }

        var granted = RbacGrants.Of(Install);

        // What the controller itself does, call by call; a missing right here is a controller that fails in a real cluster.
        string[] needed =
        [
            "canary.dev/canaries:watch", "canary.dev/canaries:list", "canary.dev/canaries:patch",
            "canary.dev/canaries/status:update",
            "canary.dev/metrictemplates:watch", "canary.dev/alertproviders:watch",
            "apps/daemonsets:watch",
            "/services:create", "/services:watch", "/configmaps:create", "/secrets:create", "/secrets:watch",
            "/events:create", "coordination.k8s.io/leases:update", "coordination.k8s.io/leases:create",
        ];
        Assert.All(needed, n => Assert.Contains(n, granted));

        // Never more than the controller needs: it reads its own API but does not write specs of templates or alerts,
        // and it has no business with pods, nodes or RBAC.
        Assert.DoesNotContain("canary.dev/metrictemplates:update", granted);
        Assert.DoesNotContain(granted, g => g.StartsWith("/pods", StringComparison.Ordinal));
        Assert.DoesNotContain(granted, g => g.StartsWith("rbac.authorization.k8s.io", StringComparison.Ordinal));
        Assert.DoesNotContain("/secrets:deletecollection", granted);
    }

    [Fact]
    public void Rbac_grants_every_rule_a_registered_provider_target_or_autoscaler_needs()
    {
        var granted = RbacGrants.Of(Install);
        var needed = TrafficProviderRegistry.Default.AllRules.Concat(TargetRegistry.AllRules).SelectMany(r => r.Grants).ToList();

        Assert.NotEmpty(needed);
        Assert.All(needed, grant => Assert.True(granted.Contains(grant), $"manifests/rbac/clusterrole.yaml lacks {grant}, which a registered plug-in needs"));
    }

    [Fact]
    public void Controller_runs_locked_down_with_probes_and_a_metrics_port()
    {
        var deployment = Single("Deployment", "canary-controller");
        var pod = deployment.At("spec", "template", "spec")!;
        Assert.Equal("canary-controller", pod.Str("serviceAccountName"));
        Assert.Equal("true", pod.Str("securityContext", "runAsNonRoot"));

        var container = pod.Seq("containers").Single();
        Assert.Equal("false", container.Str("securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("true", container.Str("securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("ALL", container.Seq("securityContext", "capabilities", "drop").Cast<YamlScalarNode>().Single().Value);
        Assert.NotNull(container.Str("resources", "requests", "cpu"));
        Assert.NotNull(container.Str("resources", "requests", "memory"));
        Assert.NotNull(container.Str("resources", "limits", "memory"));
        Assert.Equal("/healthz", container.Str("livenessProbe", "httpGet", "path"));
        Assert.Equal("/readyz", container.Str("readinessProbe", "httpGet", "path"));

        var ports = container.Seq("ports").ToDictionary(p => p.Str("name")!, p => p.Str("containerPort")!);
        var args = container.Seq("args").Cast<YamlScalarNode>().Select(a => a.Value).ToList();
        Assert.Contains($"--metrics-port={ports["http-metrics"]}", args);
        Assert.Contains($"--health-port={ports["http-health"]}", args);

        var service = Single("Service", "canary-controller-metrics");
        Assert.Equal("http-metrics", service.Seq("spec", "ports").Single().Str("targetPort"));
    }

    [Fact]
    public void Flux_installs_this_repository_manifests_folder()
    {
        var docs = Kustomize.Render("manifests/flux");
        var kustomization = docs.Single(d => d.Kind() == "Kustomization");
        var path = kustomization.Str("spec", "path")!;
        Assert.True(File.Exists(Path.Combine(Kustomize.RepoRoot, path, "kustomization.yaml")), $"Flux path {path} has no kustomization.yaml");
        Assert.Equal(docs.Single(d => d.Kind() == "GitRepository").Name(), kustomization.Str("spec", "sourceRef", "name"));
    }

    private static void AssertStructural(YamlNode schema, string where)
    {
        var preserve = schema.Str("x-kubernetes-preserve-unknown-fields") == "true";
        var intOrString = schema.Str("x-kubernetes-int-or-string") == "true";
        Assert.True(schema.Str("type") is not null || preserve || intOrString, $"{where}: schema node without a type");

        if (schema.At("properties") is YamlMappingNode properties)
        {
            foreach (var (key, child) in properties.Children)
            {
                AssertStructural(child, $"{where}.{key}");
            }
        }

        if (schema.At("items") is { } items)
        {
            AssertStructural(items, $"{where}[]");
        }

        if (schema.At("additionalProperties") is YamlMappingNode additional)
        {
            AssertStructural(additional, $"{where}{{}}");
        }
    }
}
