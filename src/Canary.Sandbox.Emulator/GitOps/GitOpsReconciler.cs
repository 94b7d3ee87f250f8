using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Sandbox.GitOps;

/// <summary>
/// A test double for Flux's kustomize-controller: reconciles one directory of plain manifests into the cluster with
/// server-side apply (field manager kustomize-controller, forced), honours Flux's reconcile/ssa/prune annotations and
/// prunes what left the source by inventory. See README.md beside this file for what it does not reproduce.
/// </summary>
public sealed class GitOpsReconciler : IDisposable
{
    private readonly IKubernetes _client;
    private readonly GitOpsReconcilerOptions _options;
    private readonly InventoryStore _store;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private GitOpsInventory _inventory = GitOpsInventory.Empty;

    /// <param name="client">A client of the cluster (a <c>k8s.Kubernetes</c>: discovery uses its HttpClient).</param>
    /// <param name="options">Directory, Kustomization name and namespace, clock and callbacks.</param>
    public GitOpsReconciler(IKubernetes client, GitOpsReconcilerOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options;
        Name = options.EffectiveName;
        _store = new InventoryStore(client, Name, options.Namespace, options.TimeProvider);
    }

    /// <summary>The Kustomization's name (owner label value).</summary>
    public string Name { get; }

    /// <summary>The Kustomization's namespace (owner label value).</summary>
    public string Namespace => _options.Namespace;

    /// <summary>Name of the ConfigMap holding the inventory in <see cref="Namespace"/>.</summary>
    public string InventoryConfigMapName => _store.ConfigMapName;

    /// <summary>Reconciles with <see cref="GitOpsReconcilerOptions.Interval"/> until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => RunAsync(_options.Interval, cancellationToken);

    /// <summary>Reconciles now and then every <paramref name="interval"/> until cancelled; returns (no exception) when cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    var result = await ReconcileOnceAsync(cancellationToken).ConfigureAwait(false);
                    _options.OnReconciled?.Invoke(result);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _options.OnError?.Invoke(e);
                }

                await Task.Delay(interval, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>
    /// One reconcile: applies every object of the directory (failures are reported, the others still applied), prunes
    /// what the previous inventory had and the source no longer has, and stores the new inventory. Throws only when
    /// the reconcile cannot proceed at all (directory missing, inventory unreadable or unwritable).
    /// </summary>
    public async Task<GitOpsReconcileResult> ReconcileOnceAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReconcileCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<GitOpsReconcileResult> ReconcileCoreAsync(CancellationToken cancellationToken)
    {
        var source = await ManifestSource.LoadAsync(_options.Directory, cancellationToken).ConfigureAwait(false);
        var previous = _options.PersistInventory ? await _store.LoadAsync(cancellationToken).ConfigureAwait(false) : _inventory;
        var discovery = new ResourceDiscovery(_client);
        var events = new List<GitOpsEvent>();
        var entries = new List<GitOpsInventoryEntry>();
        var ids = new HashSet<string>(StringComparer.Ordinal);

        foreach (var manifest in source.Objects)
        {
            var applied = await ApplyAsync(manifest, discovery, cancellationToken).ConfigureAwait(false);
            Report(events, applied.Event);
            if (ids.Add(applied.Target.InventoryId))
            {
                // Failed and skipped objects stay in the inventory: they are still in the source, so never pruned.
                entries.Add(GitOpsInventoryEntry.For(applied.Target));
            }
        }

        var stale = previous.Entries.Where(e => !ids.Contains(e.Id)).ToList();
        if (source.Errors.Count > 0)
        {
            // A file that does not parse may still hold objects: pruning now could delete them, so keep tracking all.
            entries.AddRange(stale);
        }
        else
        {
            entries.AddRange(await PruneAsync(stale, discovery, events, cancellationToken).ConfigureAwait(false));
        }

        var inventory = new GitOpsInventory(entries);
        if (_options.PersistInventory)
        {
            await _store.SaveAsync(inventory, source.Revision, cancellationToken).ConfigureAwait(false);
        }

        _inventory = inventory;
        return new GitOpsReconcileResult { Revision = source.Revision, Events = events, SourceErrors = source.Errors, Inventory = inventory };
    }

    private async Task<(GitOpsEvent Event, GitOpsObjectRef Target)> ApplyAsync(Manifest manifest, ResourceDiscovery discovery, CancellationToken cancellationToken)
    {
        var obj = manifest.Ref;
        try
        {
            var resource = await discovery.ResolveAsync(obj.ApiVersion, obj.Kind, cancellationToken).ConfigureAwait(false);
            if (resource is null)
            {
                return (new GitOpsEvent(GitOpsAction.Failed, obj, $"no matches for kind \"{obj.Kind}\" in version \"{obj.ApiVersion}\""), obj);
            }

            // Like kubectl and kustomize-controller without targetNamespace: a namespaced object without one goes to "default".
            obj = obj with { Namespace = resource.Namespaced ? obj.Namespace ?? "default" : null };
            var existing = await GetAsync(resource, obj, cancellationToken).ConfigureAwait(false);
            if ((Excluded(manifest.Object) ?? (existing is null ? null : Excluded(existing))) is { } reason)
            {
                return (new GitOpsEvent(GitOpsAction.Skipped, obj, reason), obj);
            }

            if (existing is not null && IsSet(manifest.Object, FluxMetadata.Ssa, "IfNotPresent"))
            {
                return (new GitOpsEvent(GitOpsAction.Skipped, obj, "ssa: IfNotPresent, the object exists"), obj);
            }

            await ServerSideApplyAsync(resource, obj, Desired(manifest.Object, obj), cancellationToken).ConfigureAwait(false);
            return (new GitOpsEvent(existing is null ? GitOpsAction.Created : GitOpsAction.Applied, obj), obj);
        }
        catch (HttpOperationException e)
        {
            return (new GitOpsEvent(GitOpsAction.Failed, obj, ServerMessage(e)), obj);
        }
        catch (HttpRequestException e)
        {
            return (new GitOpsEvent(GitOpsAction.Failed, obj, e.Message), obj);
        }
    }

    private async Task<IReadOnlyList<GitOpsInventoryEntry>> PruneAsync(
        IReadOnlyList<GitOpsInventoryEntry> stale, ResourceDiscovery discovery, List<GitOpsEvent> events, CancellationToken cancellationToken)
    {
        var kept = new List<GitOpsInventoryEntry>();
        // Reverse apply order: custom resources before their CRDs, namespaced objects before their Namespace.
        var ordered = stale.Select(e => (Entry: e, Ref: e.ToObjectRef())).Where(p => p.Ref is not null)
            .OrderByDescending(p => ManifestSource.Rank(p.Ref!.Kind)).ToList();
        foreach (var (entry, obj) in ordered)
        {
            try
            {
                var resource = await discovery.ResolveAsync(obj!.ApiVersion, obj.Kind, cancellationToken).ConfigureAwait(false);
                var existing = resource is null ? null : await GetAsync(resource, obj, cancellationToken).ConfigureAwait(false);
                if (resource is null || existing is null)
                {
                    continue; // Already gone (or its kind is no longer served).
                }

                if (PruneExclusion(existing) is { } reason)
                {
                    Report(events, new GitOpsEvent(GitOpsAction.PruneSkipped, obj, reason));
                    continue;
                }

                if (await DeleteAsync(resource, obj, cancellationToken).ConfigureAwait(false))
                {
                    Report(events, new GitOpsEvent(GitOpsAction.Pruned, obj));
                }
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                Report(events, new GitOpsEvent(GitOpsAction.Failed, obj!, "prune: " + (e is HttpOperationException h ? ServerMessage(h) : e.Message)));
                kept.Add(entry); // Tried again next reconcile.
            }
        }

        return kept;
    }

    private string? PruneExclusion(JsonObject existing)
    {
        if (IsSet(existing, FluxMetadata.Prune, "disabled"))
        {
            return "prune: disabled";
        }

        if (Excluded(existing) is { } reason)
        {
            return reason;
        }

        // Flux deletes only what carries its own owner labels: anything else was adopted or relabelled by someone.
        var labels = (existing["metadata"] as JsonObject)?["labels"] as JsonObject;
        return ManifestSource.Str(labels, FluxMetadata.NameLabel) == Name && ManifestSource.Str(labels, FluxMetadata.NamespaceLabel) == Namespace
            ? null
            : $"not labelled as owned by {Namespace}/{Name}";
    }

    private static string? Excluded(JsonObject obj) =>
        IsSet(obj, FluxMetadata.Reconcile, "disabled") ? "reconcile: disabled"
        : IsSet(obj, FluxMetadata.Ssa, "Ignore") ? "ssa: Ignore"
        : null;

    // Flux matches these as annotations or labels; values compare case-insensitively as its selectors do.
    private static bool IsSet(JsonObject obj, string key, string value)
    {
        var metadata = obj["metadata"] as JsonObject;
        return string.Equals(ManifestSource.Str(metadata?["annotations"] as JsonObject, key), value, StringComparison.OrdinalIgnoreCase)
            || string.Equals(ManifestSource.Str(metadata?["labels"] as JsonObject, key), value, StringComparison.OrdinalIgnoreCase);
    }

    private JsonObject Desired(JsonObject manifest, GitOpsObjectRef obj)
    {
        var desired = (JsonObject)manifest.DeepClone();
        if (desired["metadata"] is not JsonObject metadata)
        {
            desired["metadata"] = metadata = new JsonObject();
        }

        if (obj.Namespace is null)
        {
            metadata.Remove("namespace");
        }
        else
        {
            metadata["namespace"] = obj.Namespace;
        }

        if (metadata["labels"] is not JsonObject labels)
        {
            metadata["labels"] = labels = new JsonObject();
        }

        labels[FluxMetadata.NameLabel] = Name;
        labels[FluxMetadata.NamespaceLabel] = Namespace;
        return desired;
    }

    private async Task<JsonObject?> GetAsync(ServedResource resource, GitOpsObjectRef obj, CancellationToken cancellationToken)
    {
        try
        {
            return obj.Namespace is null
                ? await _client.CustomObjects.GetClusterCustomObjectAsync<JsonObject>(resource.Group, resource.Version, resource.Plural, obj.Name, cancellationToken).ConfigureAwait(false)
                : await _client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(resource.Group, resource.Version, obj.Namespace, resource.Plural, obj.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task ServerSideApplyAsync(ServedResource resource, GitOpsObjectRef obj, JsonObject desired, CancellationToken cancellationToken)
    {
        // JSON is YAML: the body goes as application/apply-patch+yaml, forced like kustomize-controller's apply.
        var patch = new V1Patch(desired.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        if (obj.Namespace is null)
        {
            await _client.CustomObjects.PatchClusterCustomObjectAsync(
                patch, resource.Group, resource.Version, resource.Plural, obj.Name,
                fieldManager: FluxMetadata.FieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _client.CustomObjects.PatchNamespacedCustomObjectAsync(
                patch, resource.Group, resource.Version, obj.Namespace, resource.Plural, obj.Name,
                fieldManager: FluxMetadata.FieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes in the background as Flux's garbage collector does; false when it was already gone.</summary>
    private async Task<bool> DeleteAsync(ServedResource resource, GitOpsObjectRef obj, CancellationToken cancellationToken)
    {
        try
        {
            if (obj.Namespace is null)
            {
                await _client.CustomObjects.DeleteClusterCustomObjectAsync(
                    resource.Group, resource.Version, resource.Plural, obj.Name, propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                    resource.Group, resource.Version, obj.Namespace, resource.Plural, obj.Name, propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private void Report(List<GitOpsEvent> events, GitOpsEvent e)
    {
        events.Add(e);
        _options.OnEvent?.Invoke(e);
    }

    /// <summary>The API server's Status message (e.g. a 422's field errors) with its code, else the exception's message.</summary>
    private static string ServerMessage(HttpOperationException e)
    {
        var code = (int)e.Response.StatusCode;
        try
        {
            if (JsonNode.Parse(e.Response.Content ?? string.Empty) is JsonObject status && ManifestSource.Str(status, "message") is { Length: > 0 } message)
            {
                return $"{code} {ManifestSource.Str(status, "reason")}: {message}".Replace(" : ", ": ", StringComparison.Ordinal);
            }
        }
        catch (JsonException)
        {
            // Not a Status: fall through.
        }

        return $"{code}: {e.Message}";
    }
}
