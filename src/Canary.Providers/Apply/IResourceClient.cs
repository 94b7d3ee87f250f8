namespace Canary.Providers.Apply;

/// <summary>The three calls a read-modify-write needs, for one resource type (typed or JSON).</summary>
internal interface IResourceClient<T>
    where T : class
{
    /// <summary>Kind, for messages.</summary>
    string Kind { get; }

    /// <summary>The object, or null when it does not exist.</summary>
    Task<T?> GetAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>True when a cached copy stands in for <see cref="GetAsync"/> (null: absent from the cache).</summary>
    bool TryGetCached(string ns, string name, out T? value)
    {
        value = null;
        return false;
    }

    Task<T> CreateAsync(string ns, T value, CancellationToken cancellationToken);

    /// <summary>Replaces the object; the body carries the resourceVersion read, so a concurrent write fails with 409.</summary>
    Task<T> ReplaceAsync(string ns, string name, T value, CancellationToken cancellationToken);
}
