namespace Canary.E2E.Infrastructure;

/// <summary>
/// A Gateway API environment whose controller runs with <c>--enable-sharding</c> (and no leader election): the sharding
/// tests start more replicas of it with <see cref="StartReplicaAsync"/>.
/// </summary>
public sealed class ShardingEnvironment : E2EEnvironment
{
    public ShardingEnvironment()
        : base(new E2EEnvironmentOptions
        {
            MeshProvider = GatewayApiEnvironment.Provider,
            ConfigureController = o => o with { EnableSharding = true, EnableLeaderElection = false },
        })
    {
    }

    /// <summary>One more replica of the controller, as the same ServiceAccount, sharing the work with the others.</summary>
    public Task<ControllerInstance> StartReplicaAsync(string? identity = null, CancellationToken cancellationToken = default) =>
        ControllerInstance.StartAsync(ControllerOptions() with { ShardIdentity = identity }, ControllerLogs, Options.ConfigureServices, cancellationToken);
}

/// <summary>Replicas sharing the Canaries: their own environment, since the tests kill and add controllers.</summary>
[CollectionDefinition(Name)]
public sealed class ShardingScenarios : ICollectionFixture<ShardingEnvironment>
{
    public const string Name = "sharding";
}
