using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using Canary.Api.V1Beta1;

namespace Canary.Api.Tests;

public class RoundTripTests
{
    [Theory]
    [InlineData("canary-full.yaml", typeof(V1Beta1.Canary))]
    [InlineData("metrictemplate.yaml", typeof(MetricTemplate))]
    [InlineData("alertprovider.yaml", typeof(AlertProvider))]
    public void Yaml_with_every_field_survives_deserialise_and_serialise(string file, Type type)
    {
        var input = CanaryYaml.ToJsonNodes(TestFiles.Read(file))[0]!;

        var model = input.Deserialize(type, CanaryJson.Options)!;
        var output = JsonSerializer.Serialize(model, type, CanaryJson.Options);

        AssertJsonEqual(input.ToJsonString(), output);
    }

    [Fact]
    public void Full_canary_binds_typed_fields()
    {
        var canary = CanaryYaml.Deserialize<V1Beta1.Canary>(TestFiles.Read("canary-full.yaml"));

        Assert.Equal("canary.dev/v1beta1", canary.ApiVersion);
        Assert.Equal("9898", canary.Spec.Service!.TargetPort!.Value);
        Assert.Equal([1, 2, 10, 80], canary.Spec.Analysis!.StepWeights!);
        Assert.Equal(CanaryPhase.Progressing, canary.Status!.Phase);
        Assert.Equal(3, canary.Status.Conditions![0].ObservedGeneration);
        Assert.Equal(new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc), canary.Status.LastTransitionTime!.Value.ToUniversalTime());
        Assert.True(canary.Spec.Service.TrafficPolicy!.AdditionalFields!.ContainsKey("portLevelSettings"));
        Assert.Equal(500.5, canary.Spec.Analysis.Metrics![1].ThresholdRange!.Max);
    }

    [Fact]
    public void Minimal_canary_does_not_invent_fields()
    {
        const string json = """{"apiVersion":"canary.dev/v1beta1","kind":"Canary","metadata":{"name":"app"},"spec":{"targetRef":{"kind":"Deployment","name":"app"},"service":{"port":80}}}""";

        var output = CanaryJson.Serialize(CanaryJson.Deserialize<V1Beta1.Canary>(json));

        AssertJsonEqual(json, output);
    }

    [Fact]
    public void Named_target_port_and_empty_phase_round_trip()
    {
        const string json = """{"apiVersion":"canary.dev/v1beta1","kind":"Canary","metadata":{},"spec":{"service":{"port":80,"targetPort":"http"}},"status":{"phase":""}}""";

        var canary = CanaryJson.Deserialize<V1Beta1.Canary>(json);

        Assert.Equal(CanaryPhase.None, canary.Status!.Phase);
        AssertJsonEqual(json, CanaryJson.Serialize(canary));
    }

    [Fact]
    public void Unknown_phase_is_rejected_with_the_allowed_values()
    {
        var error = Assert.Throws<JsonException>(() =>
            CanaryJson.Deserialize<CanaryStatus>("""{"phase":"Paused"}"""));

        Assert.Contains("WaitingPromotion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Types_also_serialise_with_kubernetes_client_options()
    {
        var canary = new V1Beta1.Canary { Status = new CanaryStatus { Phase = CanaryPhase.WaitingPromotion, CanaryWeight = 20 } };

        var json = k8s.KubernetesJson.Serialize(canary);

        Assert.Contains("\"phase\":\"WaitingPromotion\"", json, StringComparison.Ordinal);
        Assert.Equal(CanaryPhase.WaitingPromotion, k8s.KubernetesJson.Deserialize<V1Beta1.Canary>(json).Status!.Phase);
    }

    [Fact]
    public void Yaml_reader_types_plain_scalars_and_keeps_quoted_ones_as_strings()
    {
        var node = CanaryYaml.ToJsonNodes("a: 1\nb: \"1\"\nc: true\nd: 'true'\ne: 1.5\nf: ~\ng: 1m\n")[0]!.AsObject();

        Assert.Equal(JsonValueKind.Number, node["a"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, node["b"]!.GetValueKind());
        Assert.Equal(JsonValueKind.True, node["c"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, node["d"]!.GetValueKind());
        Assert.Equal(1.5, node["e"]!.GetValue<double>());
        Assert.Null(node["f"]);
        Assert.Equal("1m", node["g"]!.GetValue<string>());
    }

    private static void AssertJsonEqual(string expected, string actual)
    {
        // Compare parsed trees so formatting and key order do not matter, only content.
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(expectedNode, actualNode), $"JSON differs.\nexpected: {expected}\nactual:   {actual}");
    }
}
