namespace Canary.Controller.Queue;

/// <summary>Receives timing facts from a <see cref="WorkQueue{TKey}"/> (metrics live outside the queue).</summary>
public interface IWorkQueueObserver
{
    /// <summary>A key became ready (queued or marked dirty).</summary>
    void Added();

    /// <summary>A worker took a key that waited <paramref name="queued"/> since it became ready.</summary>
    void Dequeued(TimeSpan queued);

    /// <summary>A worker finished a key it held for <paramref name="work"/>.</summary>
    void Completed(TimeSpan work);

    /// <summary>A key was scheduled again after a failure.</summary>
    void Retried();
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullWorkQueueObserver : IWorkQueueObserver
{
    /// <summary>The shared instance.</summary>
    public static NullWorkQueueObserver Instance { get; } = new();

    public void Added()
    {
    }

    public void Dequeued(TimeSpan queued)
    {
    }

    public void Completed(TimeSpan work)
    {
    }

    public void Retried()
    {
    }
}
