namespace Canary.Controller.Informers;

/// <summary>What happened to a cached object.</summary>
public enum ResourceEventType
{
    /// <summary>New in the cache.</summary>
    Added,

    /// <summary>Changed (new resourceVersion).</summary>
    Updated,

    /// <summary>Gone from the cache.</summary>
    Deleted,
}

/// <summary>A change applied to an informer's cache.</summary>
/// <param name="Type">Added, Updated or Deleted.</param>
/// <param name="Current">The object after the change (for Deleted: the last known state).</param>
/// <param name="Old">The object before an update.</param>
public sealed record ResourceEvent<T>(ResourceEventType Type, T Current, T? Old = null)
    where T : class;
