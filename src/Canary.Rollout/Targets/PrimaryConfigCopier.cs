using Canary.Kubernetes.Errors;
using Canary.Kubernetes.Retry;
using Canary.Providers.Naming;
using Canary.Rollout.Revisions;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>Creates or updates the <c>&lt;name&gt;-primary</c> copies of the tracked ConfigMaps and Secrets, owned by the Canary.</summary>
public sealed class PrimaryConfigCopier(IKubernetes client, CopiedMetadata? copied = null)
{
    private readonly CopiedMetadata _copied = copied ?? CopiedMetadata.All;

    /// <summary>Makes every copy match the current data of its source. Idempotent: unchanged copies are not written.</summary>
    public async Task SyncAsync(CanaryResource canary, TrackedConfigs configs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(configs);
        var ns = canary.Metadata.NamespaceProperty;
        foreach (var item in configs.Items)
        {
            if (item.ConfigMap is { } configMap)
            {
                await SyncConfigMapAsync(canary, ns, configMap, cancellationToken).ConfigureAwait(false);
            }
            else if (item.Secret is { } secret)
            {
                await SyncSecretAsync(canary, ns, secret, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SyncConfigMapAsync(CanaryResource canary, string ns, V1ConfigMap source, CancellationToken cancellationToken)
    {
        var desired = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = CopyMeta(canary, source.Metadata),
            Data = source.Data,
            BinaryData = source.BinaryData,
        };
        await ConflictRetry.RunAsync(async _ =>
        {
            var existing = await ReadAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(desired.Metadata.Name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (existing is null)
            {
                await client.CoreV1.CreateNamespacedConfigMapAsync(desired, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            if (Same(existing.Data, desired.Data) && SameBytes(existing.BinaryData, desired.BinaryData))
            {
                return;
            }

            existing.Data = desired.Data;
            existing.BinaryData = desired.BinaryData;
            existing.Metadata.Labels = desired.Metadata.Labels;
            await client.CoreV1.ReplaceNamespacedConfigMapAsync(existing, existing.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task SyncSecretAsync(CanaryResource canary, string ns, V1Secret source, CancellationToken cancellationToken)
    {
        var desired = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = CopyMeta(canary, source.Metadata),
            Type = source.Type,
            Data = source.Data,
        };
        await ConflictRetry.RunAsync(async _ =>
        {
            var existing = await ReadAsync(() => client.CoreV1.ReadNamespacedSecretAsync(desired.Metadata.Name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (existing is null)
            {
                await client.CoreV1.CreateNamespacedSecretAsync(desired, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            if (SameBytes(existing.Data, desired.Data))
            {
                return;
            }

            existing.Data = desired.Data;
            existing.Metadata.Labels = desired.Metadata.Labels;
            await client.CoreV1.ReplaceNamespacedSecretAsync(existing, existing.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    // Labels by --include-label-prefix and no annotations but Flux's markers (Flagger copies no annotation either).
    private V1ObjectMeta CopyMeta(CanaryResource canary, V1ObjectMeta source) => new()
    {
        Name = source.Name + CanaryNames.PrimarySuffix,
        NamespaceProperty = source.NamespaceProperty,
        Labels = _copied.Labels(source.Labels),
        Annotations = _copied.Annotations(null),
        OwnerReferences = [ObjectCopies.OwnerReference(canary)],
    };

    private static async Task<T?> ReadAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            return null;
        }
    }

    private static bool Same(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static bool SameBytes(IDictionary<string, byte[]>? a, IDictionary<string, byte[]>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a ?? new Dictionary<string, byte[]>()).All(kv => b!.TryGetValue(kv.Key, out var v) && v.AsSpan().SequenceEqual(kv.Value));
}
