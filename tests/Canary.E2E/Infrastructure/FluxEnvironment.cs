namespace Canary.E2E.Infrastructure;

/// <summary>
/// Flagger's own e2e setting for Deployments (test/kubernetes): the kubernetes provider (blue/green on the apex Service)
/// and a controller that copies only prefixed labels and annotations to the primary (<c>--include-label-prefix</c>).
/// The GitOps story and the scenarios of Flagger's suite that need nothing else run here.
/// </summary>
public sealed class FluxEnvironment : E2EEnvironment
{
    /// <summary>The controller's <c>--include-label-prefix</c>.</summary>
    public static readonly IReadOnlyList<string> IncludeLabelPrefix = ["app.kubernetes.io", "test-label-prefix", "test-annotation-prefix"];

    public FluxEnvironment()
        : base(new E2EEnvironmentOptions { MeshProvider = "kubernetes", ConfigureController = o => o with { IncludeLabelPrefix = IncludeLabelPrefix } })
    {
    }
}

/// <summary>Flagger's e2e scenarios for Deployments and the GitOps story: their own environment.</summary>
[CollectionDefinition(Name)]
public sealed class FluxScenarios : ICollectionFixture<FluxEnvironment>
{
    public const string Name = "kubernetes flux";
}
