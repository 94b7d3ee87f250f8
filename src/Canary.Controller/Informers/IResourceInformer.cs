namespace Canary.Controller.Informers;

/// <summary>The kind-independent face of an informer: run it, wait for its first sync.</summary>
public interface IResourceInformer
{
    /// <summary>Kind name, for logs, metrics and readiness.</summary>
    string Kind { get; }

    /// <summary>True once the first list has been applied (or the kind is known not to be served).</summary>
    bool HasSynced { get; }

    /// <summary>False while the API server answers 404 for the kind (a CRD not installed).</summary>
    bool IsServed { get; }

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> is cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes after the first sync.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
