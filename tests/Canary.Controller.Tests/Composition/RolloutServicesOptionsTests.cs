using Canary.Controller.Composition;
using Canary.Controller.Hosting;
using Canary.Providers.Routing;
using Canary.Rollout.Engine;
using Canary.Rollout.Targets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Controller.Tests.Composition;

/// <summary>The engine's settings come from the flags through IOptions, validated before anything starts.</summary>
public sealed class RolloutServicesOptionsTests
{
    [Fact]
    public void The_flags_reach_the_router_target_and_engine_settings()
    {
        using var provider = Compose(new ControllerOptions { MeshProvider = "nginx", SelectorLabels = ["team"], EnableConfigTracking = false });

        Assert.Equal("nginx", provider.GetRequiredService<IOptions<TrafficRouterOptions>>().Value.DefaultProvider);
        Assert.Equal(["team"], provider.GetRequiredService<IOptions<TrafficRouterOptions>>().Value.SelectorLabels);
        var targets = provider.GetRequiredService<IOptions<TargetOptions>>().Value;
        Assert.Equal(["team"], targets.SelectorLabels);
        Assert.False(targets.EnableConfigTracking);
        Assert.Equal("nginx", provider.GetRequiredService<IOptions<RolloutEngineOptions>>().Value.Support.DefaultProvider);
    }

    [Fact]
    public void Allowed_redirect_hosts_reach_the_outbound_clients_policy()
    {
        using var provider = Compose(new ControllerOptions { AllowedRedirectHosts = ["hooks.example.com", "10.0.0.7:8443"] });

        Assert.Equal(["hooks.example.com", "10.0.0.7:8443"], provider.GetRequiredService<IOptions<Api.Http.OutboundHttpOptions>>().Value.AllowedRedirectHosts);
        using var none = Compose(new ControllerOptions());
        Assert.Empty(none.GetRequiredService<IOptions<Api.Http.OutboundHttpOptions>>().Value.AllowedRedirectHosts);
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_with_a_message()
    {
        using var provider = Compose(new ControllerOptions { SelectorLabels = [] });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TargetOptions>>().Value);
        Assert.Contains("at least one selector label is needed", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Compose(ControllerOptions options)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRolloutEngine(options);
        return services.BuildServiceProvider();
    }
}
