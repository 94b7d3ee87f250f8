namespace Canary.Controller.Informers;

/// <summary>Tuning of one informer.</summary>
public sealed record InformerOptions
{
    /// <summary>Page size of lists.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Shortest server-side watch timeout; a random value up to twice this spreads reconnections.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A watch silent for this long past its timeout is abandoned (half-open connections).</summary>
    public TimeSpan WatchdogGrace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Backoff of failed lists and watches.</summary>
    public TimeSpan ErrorBackoffBase { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest backoff after failures.</summary>
    public TimeSpan ErrorBackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a kind that is not served (CRD missing) is looked for again when CRDs cannot be watched; with the
    /// CRD watch a missing kind is looked for only when its CRD changes.
    /// </summary>
    public TimeSpan NotServedRetry { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A 403 means "not served" (an optional kind the account may not read) rather than an error to retry.</summary>
    public bool ForbiddenIsNotServed { get; init; }
}
