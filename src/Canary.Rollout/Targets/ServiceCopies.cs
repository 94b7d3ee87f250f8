using Canary.Kubernetes.Errors;
using Canary.Kubernetes.Retry;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>Creates or updates one copy of a Service target (idempotent: no write when it already matches).</summary>
internal sealed class ServiceCopies(IKubernetes client, CopiedMetadata copied)
{
    /// <summary>
    /// Writes the copy <paramref name="name"/> of <paramref name="target"/>: created when missing; updated from the
    /// target only when <paramref name="update"/> (the primary is copied at creation and at promotion only).
    /// </summary>
    public Task SyncAsync(CanaryResource canary, V1Service target, string name, bool update, CancellationToken cancellationToken) =>
        ConflictRetry.RunAsync(async _ =>
        {
            var ns = canary.Metadata.NamespaceProperty;
            V1Service? existing;
            try
            {
                existing = await client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (KubeErrors.IsNotFound(e))
            {
                existing = null;
            }

            var desired = ServiceCopyBuilder.Build(canary, target, name, existing, copied);
            if (existing is null)
            {
                await client.CoreV1.CreateNamespacedServiceAsync(desired, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else if (update && !ServiceCopyBuilder.Same(existing, desired))
            {
                await client.CoreV1.ReplaceNamespacedServiceAsync(desired, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
}
