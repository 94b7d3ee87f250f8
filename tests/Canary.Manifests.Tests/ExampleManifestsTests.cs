using System.Text.Json;
using Canary.Api.Serialization;
using Canary.Api.Validation;
using YamlDotNet.Serialization;

namespace Canary.Manifests.Tests;

/// <summary>The examples a user copies first must render and be valid Canaries.</summary>
public sealed class ExampleManifestsTests
{
    [Fact]
    public void Examples_render_a_deployment_an_hpa_and_a_canary_pointing_at_them()
    {
        var docs = Kustomize.Render("manifests/examples");
        var canary = docs.Single(d => d.Kind() == "Canary");
        var deployment = docs.Single(d => d.Kind() == "Deployment");
        var hpa = docs.Single(d => d.Kind() == "HorizontalPodAutoscaler");

        Assert.Equal("canary.dev/v1beta1", canary.Str("apiVersion"));
        Assert.Equal(deployment.Name(), canary.Str("spec", "targetRef", "name"));
        Assert.Equal(hpa.Name(), canary.Str("spec", "autoscalerRef", "name"));
        Assert.Equal(deployment.Name(), hpa.Str("spec", "scaleTargetRef", "name"));
        Assert.All(docs.Where(d => d.Kind() != "Namespace"), d => Assert.Equal("test", d.Str("metadata", "namespace")));
    }

    [Fact]
    public void Example_canary_passes_validation()
    {
        var yaml = File.ReadAllText(Path.Combine(Kustomize.RepoRoot, "manifests/examples/podinfo-canary.yaml"));
        var canary = CanaryJson.Deserialize<Api.V1Beta1.Canary>(YamlToJson(yaml));

        var result = CanaryValidation.Validate(canary);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal("gatewayapi:v1", canary.Spec.Provider);
        Assert.Equal(2, canary.Spec.Analysis!.Metrics!.Count);
    }

    private static string YamlToJson(string yaml)
    {
        var graph = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize(new StringReader(yaml));
        return JsonSerializer.Serialize(graph);
    }
}
