using Canary.Api.Serialization;
using Canary.Api.Validation;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Demo;

namespace Canary.Sandbox.Tests.Demo;

/// <summary>The demo's objects without running the story: a valid Canary per provider, CRDs the emulated server accepts.</summary>
public sealed class DemoManifestsTests
{
    [Theory]
    [InlineData("gatewayapi")]
    [InlineData("nginx")]
    [InlineData("istio")]
    [InlineData("kubernetes")]
    public async Task The_demo_Canary_is_valid_and_accepted_by_the_generated_CRD(string provider)
    {
        var profile = DemoProfile.For(provider);
        var manifest = DemoManifests.Canary(profile, new DemoTimings());
        var canary = CanaryJson.Deserialize<Api.V1Beta1.Canary>(manifest.ToJsonString());
        Assert.Empty(CanaryValidation.Validate(canary).Errors);
        Assert.Equal(profile.BlueGreen, canary.Spec.Analysis!.Iterations is > 0);

        await using var server = await SandboxApiServer.StartAsync();
        DemoCrds.Install(server.Store);
        server.Store.Create(BuiltInResources.Namespaces, null, DemoManifests.NamespaceObject());
        server.Store.Create(new GroupVersionResource("canary.dev", "v1beta1", "canaries"), DemoManifests.Namespace, manifest);
        server.Store.Create(new GroupVersionResource("gateway.networking.k8s.io", "v1", "httproutes"), DemoManifests.Namespace, new()
        {
            ["apiVersion"] = "gateway.networking.k8s.io/v1",
            ["kind"] = "HTTPRoute",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "probe" },
        });
    }

    [Fact]
    public void Unknown_providers_are_refused_with_the_list()
    {
        var error = Assert.Throws<ArgumentException>(() => DemoProfile.For("linkerd"));
        Assert.Contains("gatewayapi, nginx, istio, kubernetes", error.Message, StringComparison.Ordinal);
    }
}
