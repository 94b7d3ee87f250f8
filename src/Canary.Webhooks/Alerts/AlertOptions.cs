namespace Canary.Webhooks.Alerts;

/// <summary>Controller-wide alert settings.</summary>
public sealed class AlertOptions
{
    /// <summary>Timeout of one post (Flagger: 5s per request).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries on connection errors, timeouts, 429 and 5xx.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>First retry delay, doubled per retry.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of a retry delay, also of a Retry-After header.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Global notifier (Flagger's -slack-url / -msteams-url): receives every alert of canaries without alerts.</summary>
    public AlertEndpoint? GlobalEndpoint { get; set; }

    /// <summary>Title of Google Chat cards (Flagger writes "Flagger").</summary>
    public string ProductName { get; set; } = "Canary";

    /// <summary>Image of Google Chat card headers; omitted when null.</summary>
    public Uri? IconUrl { get; set; }
}
