using Canary.Api.V1Beta1;

namespace Canary.Rollout.Status;

/// <summary>Writes the Canary status through the status subresource (the rollout's checkpoint).</summary>
public interface IStatusWriter
{
    /// <summary>
    /// Writes <paramref name="mutate"/>(latest status) to the Canary; on a conflict re-reads the object and applies the
    /// mutation again. Returns the stored Canary.
    /// </summary>
    Task<CanaryResource> WriteAsync(CanaryResource canary, Func<CanaryResource, CanaryStatus> mutate, CancellationToken cancellationToken);
}
