using Canary.Api.V1Beta1;
using Canary.Rollout.Status;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Controller.Composition;

/// <summary>
/// Wraps the engine's status writer: remembers each written checkpoint until the cache catches up
/// (<see cref="RecentCanaryWrites"/>) and counts finished releases and publishes the new phase/weights.
/// </summary>
public sealed class ObservedStatusWriter(IStatusWriter inner, RecentCanaryWrites writes, RolloutTelemetry telemetry) : IStatusWriter
{
    /// <inheritdoc />
    public async Task<CanaryResource> WriteAsync(CanaryResource canary, Func<CanaryResource, CanaryStatus> mutate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);

        // Captured first: the inner writer sets the new status on the object it is given.
        var before = canary.Status?.Phase;
        var replaced = canary.Metadata.ResourceVersion;
        var written = await inner.WriteAsync(canary, mutate, cancellationToken).ConfigureAwait(false);
        writes.Record(replaced, written);
        telemetry.Transition(written, before, written.Status?.Phase);
        telemetry.Observe(written);
        return written;
    }
}
