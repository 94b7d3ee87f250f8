using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Selectors;
using Canary.Sandbox.ApiServer.Watch;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.ApiServer.Store;

/// <summary>
/// The in-memory object store with Kubernetes semantics: one monotonically increasing resourceVersion, uid and
/// timestamps, generation on spec changes, optimistic concurrency, status/scale subresources, finalizers,
/// ownerReference garbage collection, namespace lifecycle, CRDs that serve their resource at once, and a bounded
/// per-resource event history for watches. The HTTP endpoints are a thin layer over it; simulators use it directly.
/// All operations are atomic under one lock; objects handed out are private copies.
/// </summary>
public sealed partial class ObjectStore
{
    private static readonly JsonSerializerOptions TokenJson = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Group, string Resource), ResourceTable> _tables = [];
    private readonly Dictionary<string, ObjectKey> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ObjectKey>> _dependentsByOwner = new(StringComparer.Ordinal);
    private readonly Defaulter _defaulter = new();
    private readonly int _historySize;
    private long _resourceVersion;
    private long _compactedThrough;

    /// <summary>Creates a store holding the default, kube-system, kube-public and kube-node-lease namespaces.</summary>
    public ObjectStore(ResourceRegistry registry, TimeProvider? time = null, int historySize = 10_000)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        Time = time ?? TimeProvider.System;
        _historySize = historySize;
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }
    }

    public ResourceRegistry Registry { get; }

    /// <summary>Clock used for creationTimestamp and deletionTimestamp.</summary>
    public TimeProvider Time { get; }

    /// <summary>How often watches that asked for bookmarks get one, unless the watch says otherwise.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The current (latest committed) resource version.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Reads one object (subresource "status" reads the object, "scale" an autoscaling/v1 Scale).</summary>
    public JsonObject Get(GroupVersionResource gvr, string? ns, string name, string? subresource = null)
    {
        var type = Resolve(gvr, subresource);
        return subresource == "scale" ? GetScale(type, ns, name) : GetStored(type, ns, name).ObjectFor(type);
    }

    /// <summary>Lists objects of one namespace (or all with null) with selectors and paging.</summary>
    public ObjectList List(GroupVersionResource gvr, string? ns, ListOptions? options = null)
    {
        var type = Resolve(gvr, null);
        var page = ListStored(type, ns, options ?? new ListOptions());
        return new ObjectList(page.Items.Select(i => i.ObjectFor(type)).ToList(), page.ResourceVersion.ToString(CultureInfo.InvariantCulture), page.Continue, page.RemainingItemCount);
    }

    /// <summary>Creates an object; namespace comes from <paramref name="ns"/> or else the object's metadata.</summary>
    public JsonObject Create(GroupVersionResource gvr, string? ns, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = Resolve(gvr, null);
        return CreateStored(type, ns ?? KubeJson.Str(obj["metadata"] as JsonObject, "namespace"), (JsonObject)obj.DeepClone()).ObjectFor(type);
    }

    /// <summary>Replaces an object (PUT); a non-empty metadata.resourceVersion must match (409 Conflict otherwise).</summary>
    public JsonObject Update(GroupVersionResource gvr, string? ns, JsonObject obj, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = Resolve(gvr, subresource);
        var metadata = obj["metadata"] as JsonObject;
        var name = KubeJson.Str(metadata, "name") ?? throw ApiException.BadRequest("metadata.name is required");
        ns ??= KubeJson.Str(metadata, "namespace");
        return subresource == "scale"
            ? UpdateScale(type, ns, name, (JsonObject)obj.DeepClone())
            : UpdateStored(type, ns, name, (JsonObject)obj.DeepClone(), subresource).ObjectFor(type);
    }

    /// <summary>Patches an object (merge, JSON, strategic merge or apply), optionally through a subresource.</summary>
    public JsonObject Patch(GroupVersionResource gvr, string? ns, string name, PatchType patchType, JsonNode patch, string? subresource = null)
    {
        var type = Resolve(gvr, subresource);
        return subresource == "scale"
            ? PatchScale(type, ns, name, patchType, patch)
            : PatchStored(type, ns, name, patchType, patch, subresource).ObjectFor(type);
    }

    /// <summary>Deletes an object, honouring finalizers, preconditions and the propagation policy.</summary>
    public DeleteResult Delete(GroupVersionResource gvr, string? ns, string name, DeleteOptions? options = null)
    {
        var type = Resolve(gvr, null);
        var (obj, removed) = DeleteStored(type, ns, name, options ?? new DeleteOptions());
        return new DeleteResult(obj.ObjectFor(type), removed);
    }

    /// <summary>Deletes every object a list with these options would return; answers how many were found.</summary>
    public int DeleteCollection(GroupVersionResource gvr, string? ns, ListOptions? listOptions = null, DeleteOptions? options = null)
    {
        var type = Resolve(gvr, null);
        return DeleteCollectionStored(type, ns, listOptions ?? new ListOptions(), options ?? new DeleteOptions()).Count;
    }

    /// <summary>
    /// Watches a resource as ?watch=true does: ADDED events for the current state when no resourceVersion is given,
    /// otherwise every retained change after it; an expired version yields one Error event (410 Expired) and ends.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        GroupVersionResource gvr,
        string? ns,
        WatchOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var type = Resolve(gvr, null);
        options ??= new WatchOptions();
        WatchSubscription? subscription = null;
        ApiException? expired = null;
        try
        {
            subscription = Subscribe(type, ns, options);
        }
        catch (ApiException e) when (e.Code == 410)
        {
            expired = e;
        }

        if (subscription is null)
        {
            yield return new WatchEvent(WatchEventType.Error, expired!.ToStatus());
            yield break;
        }

        try
        {
            await foreach (var item in WatchPump.RunAsync(this, subscription, options, null, cancellationToken).ConfigureAwait(false))
            {
                yield return new WatchEvent(item.Type, item.Object?.ObjectFor(type) ?? WatchPump.BookmarkObject(type, item));
            }
        }
        finally
        {
            Unsubscribe(type, subscription);
        }
    }

    /// <summary>Drops all retained watch history: a watch from any older resource version now gets 410 Gone.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compactedThrough = _resourceVersion;
            foreach (var table in _tables.Values)
            {
                table.Hub.Compact(_resourceVersion);
            }
        }
    }

    /// <summary>Number of open watches on a resource (for tests that wait for a watcher to connect).</summary>
    public int WatcherCount(GroupVersionResource gvr)
    {
        var type = Resolve(gvr, null);
        lock (_gate)
        {
            return _tables.TryGetValue(type.StorageKey, out var t) ? t.Hub.SubscriberCount : 0;
        }
    }

    internal ResourceType Resolve(GroupVersionResource gvr, string? subresource)
    {
        var type = Registry.Get(gvr);
        var ok = subresource switch
        {
            null => true,
            "status" => type.HasStatus,
            "scale" => type.Scale is not null,
            _ => false,
        };
        return ok ? type : throw new ApiException(404, "NotFound", "the server could not find the requested resource");
    }

    internal StoredObject GetStored(ResourceType type, string? ns, string name)
    {
        var space = Namespace(type, ns);
        lock (_gate)
        {
            return Table(type).Find(space, name) ?? throw ApiException.NotFound(type.Group, type.Plural, name);
        }
    }

    internal bool Exists(ResourceType type, string? ns, string name)
    {
        var space = Namespace(type, ns);
        lock (_gate)
        {
            return Table(type).Find(space, name) is not null;
        }
    }

    internal ListPage ListStored(ResourceType type, string? ns, ListOptions options)
    {
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector, type);
        var space = type.Namespaced ? (string.IsNullOrEmpty(ns) ? null : ns) : string.Empty;
        var token = ContinueToken.Parse(options.Continue);
        var limit = options.Limit is > 0 ? options.Limit.Value : int.MaxValue;
        lock (_gate)
        {
            if (token is not null && token.ResourceVersion < _compactedThrough)
            {
                throw Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }

            var listVersion = token?.ResourceVersion ?? _resourceVersion;
            var items = new List<StoredObject>();
            long remaining = 0;
            foreach (var obj in Table(type).Enumerate(space, token is null ? null : (token.Namespace, token.Name)))
            {
                if (!labels.Matches(obj.Labels) || !fields.Matches(obj.Object))
                {
                    continue;
                }

                if (items.Count < limit)
                {
                    items.Add(obj);
                }
                else
                {
                    remaining++;
                }
            }

            string? next = null;
            if (remaining > 0)
            {
                var last = items[^1];
                next = new ContinueToken(listVersion, last.Namespace, last.Name).Encode();
            }

            return new ListPage(items, listVersion, next, remaining > 0 ? remaining : null);
        }
    }

    internal StoredObject CreateStored(ResourceType type, string? ns, JsonObject obj)
    {
        var metadata = KubeJson.Meta(obj);
        var space = Namespace(type, ns ?? KubeJson.Str(metadata, "namespace"));
        var bodyNs = KubeJson.Str(metadata, "namespace");
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNs) && bodyNs != space)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        CheckKind(type, obj);
        var crdTypes = IsCrd(type) ? ResourceRegistry.Validate(obj) : null;
        lock (_gate)
        {
            if (type.Namespaced)
            {
                RequireLiveNamespace(space);
                metadata["namespace"] = space;
            }
            else
            {
                metadata.Remove("namespace");
            }

            var name = KubeJson.Str(metadata, "name");
            if (string.IsNullOrEmpty(name))
            {
                var prefix = KubeJson.Str(metadata, "generateName");
                if (string.IsNullOrEmpty(prefix))
                {
                    throw ApiException.Invalid(type.Group, type.Kind, string.Empty, "metadata.name", "Required value: name or generateName is required");
                }

                var table = Table(type);
                do
                {
                    name = prefix + NameSuffix();
                }
                while (table.Find(space, name) is not null);
                metadata["name"] = name;
            }

            ValidateName(type, name);
            if (Table(type).Find(space, name) is not null)
            {
                throw ApiException.AlreadyExists(type.Group, type.Plural, name);
            }

            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Now();
            foreach (var key in new[] { "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink", "resourceVersion" })
            {
                metadata.Remove(key);
            }

            if (type.TracksGeneration)
            {
                metadata["generation"] = 1;
            }
            else
            {
                metadata.Remove("generation");
            }

            if (type.HasStatus)
            {
                obj.Remove("status");
            }

            _defaulter.ApplyCreateDefaults(type, obj);
            if (crdTypes is not null)
            {
                // Served before the ADDED event goes out: a watcher of CRDs that sees it can use the resource at once.
                Registry.ApplyCrd(name, crdTypes);
            }

            var stored = Commit(Table(type), WatchEventType.Added, obj, null);

            DrainRemovals();
            return stored;
        }
    }

    internal StoredObject UpdateStored(ResourceType type, string? ns, string name, JsonObject obj, string? subresource)
    {
        var space = Namespace(type, ns);
        CheckKind(type, obj);
        var bodyName = KubeJson.Str(obj["metadata"] as JsonObject, "name");
        if (bodyName is not null && bodyName != name)
        {
            throw ApiException.BadRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
        }

        var crdTypes = IsCrd(type) && subresource is null ? ResourceRegistry.Validate(obj) : null;
        lock (_gate)
        {
            var table = Table(type);
            var existing = table.Find(space, name) ?? throw ApiException.NotFound(type.Group, type.Plural, name);
            var result = ApplyUpdate(table, type, existing, obj, subresource, checkResourceVersion: true);
            if (crdTypes is not null && table.Find(space, name) is not null)
            {
                Registry.ApplyCrd(name, crdTypes);
            }

            DrainRemovals();
            return result;
        }
    }

    internal StoredObject PatchStored(ResourceType type, string? ns, string name, PatchType patchType, JsonNode patch, string? subresource)
    {
        var space = Namespace(type, ns);
        if (patchType == PatchType.StrategicMerge && type.IsCustom)
        {
            throw ApiException.UnsupportedPatchType();
        }

        lock (_gate)
        {
            var table = Table(type);
            var existing = table.Find(space, name);
            if (existing is null)
            {
                if (patchType == PatchType.Apply && subresource is null && patch is JsonObject applied)
                {
                    return CreateStored(type, space, (JsonObject)applied.DeepClone());
                }

                throw ApiException.NotFound(type.Group, type.Plural, name);
            }

            var patched = ApplyPatch(existing.Object, patchType, patch);
            if (KubeJson.Str(patched["metadata"] as JsonObject, "name") != name)
            {
                throw ApiException.Invalid(type.Group, type.Kind, name, "metadata.name", "Invalid value: field is immutable");
            }

            if (IsCrd(type) && subresource is null)
            {
                Registry.ApplyCrd(name, ResourceRegistry.Validate(patched));
            }

            var result = ApplyUpdate(table, type, existing, patched, subresource, checkResourceVersion: true);
            DrainRemovals();
            return result;
        }
    }

    internal static JsonObject ApplyPatch(JsonObject current, PatchType patchType, JsonNode patch) => patchType switch
    {
        PatchType.Merge or PatchType.Apply => JsonMergePatch.Apply(current, patch) as JsonObject
            ?? throw ApiException.BadRequest("merge patch must be a JSON object"),
        PatchType.Json => JsonPatch.Apply(current, patch) as JsonObject
            ?? throw new ApiException(422, "Invalid", "json patch result is not an object"),
        _ => StrategicMergePatch.Apply(current, patch),
    };

    internal WatchSubscription Subscribe(ResourceType type, string? ns, WatchOptions options)
    {
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector, type);
        var space = type.Namespaced ? (string.IsNullOrEmpty(ns) ? null : ns) : null;
        long? from = null;
        if (!string.IsNullOrEmpty(options.ResourceVersion) && options.ResourceVersion != "0")
        {
            from = long.TryParse(options.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
                ? rv
                : throw ApiException.BadRequest($"invalid resource version \"{options.ResourceVersion}\"");
        }

        var subscription = new WatchSubscription(o => (space is null || o.Namespace == space) && labels.Matches(o.Labels) && fields.Matches(o.Object));
        lock (_gate)
        {
            var table = Table(type);
            if (from is { } resume && !options.SendInitialEvents)
            {
                if (resume < _compactedThrough || !table.Hub.CanResumeFrom(resume))
                {
                    throw Expired($"too old resource version: {resume} ({Math.Max(_compactedThrough, table.Hub.CompactedThrough) + 1})");
                }

                table.Hub.Subscribe(subscription, resume);
            }
            else
            {
                foreach (var obj in table.Enumerate(space))
                {
                    if (subscription.Matches(obj))
                    {
                        subscription.Enqueue(new WatchItem(WatchEventType.Added, obj, obj.ResourceVersion));
                    }
                }

                if (options.SendInitialEvents && options.AllowBookmarks)
                {
                    subscription.Enqueue(new WatchItem(WatchEventType.Bookmark, null, _resourceVersion, InitialEventsEnd: true));
                }

                table.Hub.Subscribe(subscription, null);
            }
        }

        return subscription;
    }

    internal void Unsubscribe(ResourceType type, WatchSubscription subscription)
    {
        lock (_gate)
        {
            if (_tables.TryGetValue(type.StorageKey, out var table))
            {
                table.Hub.Unsubscribe(subscription);
            }
        }
    }

    /// <summary>Enqueues a bookmark at the current version; under the lock, so no earlier event can still be in flight.</summary>
    internal void EnqueueBookmark(WatchSubscription subscription)
    {
        lock (_gate)
        {
            subscription.Enqueue(new WatchItem(WatchEventType.Bookmark, null, _resourceVersion));
        }
    }

    private static ApiException Expired(string message) => ApiException.Expired(message);

    private static bool IsCrd(ResourceType type) => type.Group == "apiextensions.k8s.io" && type.Plural == "customresourcedefinitions";

    private static string Namespace(ResourceType type, string? ns)
    {
        if (!type.Namespaced)
        {
            return string.Empty;
        }

        return string.IsNullOrEmpty(ns) ? throw ApiException.BadRequest("a namespace is required for " + type.Plural) : ns;
    }

    private static void CheckKind(ResourceType type, JsonObject obj)
    {
        var kind = KubeJson.Str(obj, "kind");
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind of the provided object ({kind}) does not match the resource ({type.Kind})");
        }

        var apiVersion = KubeJson.Str(obj, "apiVersion");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.GroupVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.GroupVersion})");
        }

        obj["kind"] = type.Kind;
        obj["apiVersion"] = type.GroupVersion;
    }

    private static void ValidateName(ResourceType type, string name)
    {
        var label = type.Group.Length == 0 && type.Plural is "namespaces" or "services";
        var ok = label ? name.Length <= 63 && DnsLabel().IsMatch(name) : name.Length <= 253 && DnsSubdomain().IsMatch(name);
        if (!ok)
        {
            var what = label ? "a lowercase RFC 1123 label" : "a lowercase RFC 1123 subdomain";
            throw ApiException.Invalid(type.Group, type.Kind, name, "metadata.name", $"Invalid value: \"{name}\": {what} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    private static string NameSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
#pragma warning disable CA5394 // generated names need uniqueness, not unpredictability
            chars[i] = alphabet[Random.Shared.Next(alphabet.Length)];
#pragma warning restore CA5394
        }

        return new string(chars);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    private string Now() => Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private ResourceTable Table(ResourceType type)
    {
        if (!_tables.TryGetValue(type.StorageKey, out var table))
        {
            table = new ResourceTable(type, _historySize);
            _tables[type.StorageKey] = table;
        }

        return table;
    }

    private void RequireLiveNamespace(string ns)
    {
        var nsTable = Table(Registry.Get(BuiltInResources.Namespaces));
        var found = nsTable.Find(string.Empty, ns) ?? throw ApiException.NotFound(string.Empty, "namespaces", ns);
        if (found.IsDeleting)
        {
            throw ApiException.Forbidden($"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    /// <summary>Records a change: assigns the next resourceVersion, stores or removes the object, indexes owners, notifies watchers.</summary>
    private StoredObject Commit(ResourceTable table, WatchEventType type, JsonObject obj, StoredObject? previous)
    {
        var rv = ++_resourceVersion;
        KubeJson.Meta(obj)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var stored = new StoredObject(obj, rv);
        var key = table.KeyOf(stored);
        if (previous is not null)
        {
            foreach (var owner in previous.OwnerUids)
            {
                if (_dependentsByOwner.TryGetValue(owner, out var set) && set.Remove(key) && set.Count == 0)
                {
                    _dependentsByOwner.Remove(owner);
                }
            }
        }

        if (type == WatchEventType.Deleted)
        {
            table.Remove(stored.Namespace, stored.Name);
            _byUid.Remove(stored.Uid);
        }
        else
        {
            table.Set(stored);
            _byUid[stored.Uid] = key;
            foreach (var owner in stored.OwnerUids)
            {
                if (!_dependentsByOwner.TryGetValue(owner, out var set))
                {
                    set = [];
                    _dependentsByOwner[owner] = set;
                }

                set.Add(key);
            }
        }

        table.Hub.Publish(new HubEvent(type, stored, previous));
        return stored;
    }

    /// <summary>A page of stored objects, before conversion to the requested version.</summary>
    internal sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

    private sealed record ContinueToken(long ResourceVersion, string Namespace, string Name)
    {
        public static ContinueToken? Parse(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            try
            {
                var json = Encoding.UTF8.GetString(Convert.FromBase64String(text));
                return JsonSerializer.Deserialize<ContinueToken>(json, TokenJson) ?? throw new FormatException();
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                throw ApiException.BadRequest("continue key is not valid: " + e.Message);
            }
        }

        public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this, TokenJson));
    }
}
