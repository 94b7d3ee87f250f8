namespace Canary.Controller.Informers;

/// <summary>Tells an informer whose kind is not served (CRD missing) when to look for it again.</summary>
public interface INotServedWait
{
    /// <summary>What is known of the kind's CRD now; taken before a list, compared in <see cref="WaitAsync"/>.</summary>
    string Snapshot();

    /// <summary>
    /// Completes once the kind's CRD differs from <paramref name="snapshot"/> (created, changed, established), or after
    /// <paramref name="fallback"/> when CRDs cannot be watched.
    /// </summary>
    Task WaitAsync(string snapshot, TimeSpan fallback, CancellationToken cancellationToken);
}
