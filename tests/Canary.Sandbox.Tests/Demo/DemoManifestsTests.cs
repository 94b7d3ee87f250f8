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
    public void Names_that_are_not_providers_are_refused_with_the_registrys_list()
    {
        var error = Assert.Throws<ArgumentException>(() => DemoProfile.For("consul"));
        Assert.Contains("'consul' is not a traffic provider", error.Message, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", Providers.Registry.TrafficProviderRegistry.Default.Names), error.Message, StringComparison.Ordinal);
        Assert.Contains("apisix, contour, gatewayapi", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gatewayapi", "gatewayapi:v1")]
    [InlineData("GatewayAPI:v1beta1", "gatewayapi:v1beta1")]
    [InlineData("istio", "istio")]
    public void Aliases_resolve_through_the_registry(string asked, string provider) =>
        Assert.Equal(provider, DemoProfile.For(asked).Provider);
}
