namespace Canary.E2E.Infrastructure;

/// <summary>
/// The Gateway API environment (provider gatewayapi:v1, HTTPRoute weights, Envoy cluster metrics). Several collections
/// use it so their scenarios run in parallel, each collection with its own sandbox, Prometheus and controller.
/// </summary>
public sealed class GatewayApiEnvironment : E2EEnvironment
{
    public const string Provider = "gatewayapi:v1";

    public GatewayApiEnvironment()
        : base(new E2EEnvironmentOptions { MeshProvider = Provider })
    {
    }
}

/// <summary>Weight progression, rollback, A/B: one Gateway API environment.</summary>
[CollectionDefinition(Name)]
public sealed class RolloutScenarios : ICollectionFixture<GatewayApiEnvironment>
{
    public const string Name = "gatewayapi rollouts";
}

/// <summary>Gates, config tracking, deletion: a second Gateway API environment.</summary>
[CollectionDefinition(Name)]
public sealed class LifecycleScenarios : ICollectionFixture<GatewayApiEnvironment>
{
    public const string Name = "gatewayapi lifecycle";
}

/// <summary>Failures of the surroundings (controller killed, Prometheus stopped): a third environment, so a killed controller stalls no one else.</summary>
[CollectionDefinition(Name)]
public sealed class DisruptionScenarios : ICollectionFixture<GatewayApiEnvironment>
{
    public const string Name = "gatewayapi disruptions";
}

/// <summary>The controller under faults (API errors, a killed leader, receivers down): its own environment, as the disruptions.</summary>
[CollectionDefinition(Name)]
public sealed class ChaosScenarios : ICollectionFixture<GatewayApiEnvironment>
{
    public const string Name = "gatewayapi chaos";
}
