using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Rollout.Targets;
using Canary.Rollout.Targets.Autoscalers;
using k8s.Models;

namespace Canary.Rollout.Tests.Targets;

/// <summary>The primary's KEDA ScaledObject, as Flagger's ScaledObjectReconciler writes it.</summary>
public sealed class PrimaryScaledObjectBuilderTests
{
    private static CanaryResource Canary(AutoscalerReference autoscaler) => new()
    {
        Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = "test", Uid = "0c1d2e3f" },
        Spec = new CanarySpec
        {
            TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = TargetKinds.Deployment, Name = "podinfo" },
            Service = new CanaryService { Port = 80 },
            AutoscalerRef = autoscaler,
        },
    };

    private static JsonObject Target() => JsonNode.Parse("""
        {
          "apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
          "metadata": {
            "name": "podinfo-so", "namespace": "test", "resourceVersion": "7", "uid": "u1",
            "labels": { "app": "podinfo", "kustomize.toolkit.fluxcd.io/name": "apps" },
            "annotations": { "autoscaling.keda.sh/paused-replicas": "0", "team": "web" }
          },
          "spec": {
            "scaleTargetRef": { "name": "podinfo" },
            "pollingInterval": 15, "cooldownPeriod": 120, "minReplicaCount": 2, "maxReplicaCount": 5,
            "advanced": { "horizontalPodAutoscalerConfig": { "name": "podinfo-hpa" } },
            "fallback": { "failureThreshold": 3, "replicas": 4 },
            "triggers": [
              { "type": "prometheus", "name": "http", "metadata": { "query": "sum(rate(http_requests_total{deployment=\"podinfo-canary\"}[1m]))" } },
              { "type": "prometheus", "name": "queue", "metadata": { "query": "max(queue_length{app=\"podinfo\",other=\"podinfo-primary\",x=\"podinfo_db\"})" } },
              { "type": "cpu", "metricType": "Utilization", "metadata": { "value": "50" } }
            ]
          },
          "status": { "hpaName": "keda-hpa-podinfo-so" }
        }
        """)!.AsObject();

    [Fact]
    public void The_copy_scales_the_primary_with_the_targets_spec_and_its_queries_rewritten_for_the_primary()
    {
        var primary = PrimaryScaledObjectBuilder.Build(Canary(new AutoscalerReference { Kind = AutoscalerKinds.ScaledObject, Name = "podinfo-so" }), Target(), "podinfo-primary");

        var expected = JsonNode.Parse("""
            {
              "apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
              "metadata": {
                "name": "podinfo-so-primary", "namespace": "test",
                "labels": { "app": "podinfo" },
                "annotations": { "team": "web", "kustomize.toolkit.fluxcd.io/reconcile": "disabled", "helm.toolkit.fluxcd.io/driftDetection": "disabled" },
                "ownerReferences": [ { "apiVersion": "canary.dev/v1beta1", "kind": "Canary", "name": "podinfo", "uid": "0c1d2e3f", "controller": true, "blockOwnerDeletion": true } ]
              },
              "spec": {
                "pollingInterval": 15, "cooldownPeriod": 120, "minReplicaCount": 2, "maxReplicaCount": 5,
                "advanced": { "horizontalPodAutoscalerConfig": { "name": "podinfo-hpa-primary" } },
                "triggers": [
                  { "type": "prometheus", "name": "http", "metadata": { "query": "sum(rate(http_requests_total{deployment=\"podinfo-primary\"}[1m]))" } },
                  { "type": "prometheus", "name": "queue", "metadata": { "query": "max(queue_length{app=\"podinfo-primary\",other=\"podinfo-primary\",x=\"podinfo_db\"})" } },
                  { "type": "cpu", "metricType": "Utilization", "metadata": { "value": "50" } }
                ],
                "fallback": { "failureThreshold": 3, "replicas": 4 },
                "scaleTargetRef": { "name": "podinfo-primary" }
              }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, primary), primary.ToJsonString());
    }

    [Fact]
    public void Given_queries_replace_the_named_triggers_and_given_bounds_replace_the_targets()
    {
        var autoscaler = new AutoscalerReference
        {
            Kind = AutoscalerKinds.ScaledObject,
            Name = "podinfo-so",
            PrimaryScalerQueries = new Dictionary<string, string> { ["http"] = "sum(rate(istio_requests_total{destination_workload=\"podinfo-primary\"}[1m]))" },
            PrimaryScalerReplicas = new ScalerReplicas { MinReplicas = 3 },
        };

        var spec = PrimaryScaledObjectBuilder.Build(Canary(autoscaler), Target(), "podinfo-primary")["spec"]!;

        Assert.Equal("sum(rate(istio_requests_total{destination_workload=\"podinfo-primary\"}[1m]))", spec["triggers"]![0]!["metadata"]!["query"]!.GetValue<string>());
        // A trigger the map does not name keeps the target's query as written (Flagger's rule when queries are given).
        Assert.Equal("max(queue_length{app=\"podinfo\",other=\"podinfo-primary\",x=\"podinfo_db\"})", spec["triggers"]![1]!["metadata"]!["query"]!.GetValue<string>());
        Assert.Equal((3, 5), (spec["minReplicaCount"]!.GetValue<int>(), spec["maxReplicaCount"]!.GetValue<int>()));
    }

    [Fact]
    public void A_query_for_a_trigger_that_does_not_exist_fails_with_the_names()
    {
        var autoscaler = new AutoscalerReference
        {
            Kind = AutoscalerKinds.ScaledObject,
            Name = "podinfo-so",
            PrimaryScalerQueries = new Dictionary<string, string> { ["htpp"] = "up" },
        };

        var error = Assert.Throws<TargetException>(() => PrimaryScaledObjectBuilder.Build(Canary(autoscaler), Target(), "podinfo-primary"));

        Assert.Equal("autoscalerRef.primaryScalerQueries names no trigger of ScaledObject podinfo-so: htpp (triggers: http, queue)", error.Message);
    }

    [Theory]
    [InlineData("up{deployment=\"podinfo\"}", "up{deployment=\"podinfo-primary\"}")]
    [InlineData("up{deployment=\"podinfo-canary\"}", "up{deployment=\"podinfo-primary\"}")]
    [InlineData("up{deployment=\"podinfo-primary\"}", "up{deployment=\"podinfo-primary\"}")]
    [InlineData("podinfo_requests_total{pod=~\"podinfo-.*\"}", "podinfo_requests_total{pod=~\"podinfo-.*\"}")]
    [InlineData("a{x=\"mypodinfo\"}", "a{x=\"mypodinfo\"}")]
    public void Only_whole_target_names_are_rewritten(string query, string expected) =>
        Assert.Equal(expected, PrimaryScaledObjectBuilder.ForPrimary(query, "podinfo"));
}
