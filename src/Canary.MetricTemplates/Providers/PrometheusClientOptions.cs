namespace Canary.MetricTemplates.Providers;

/// <summary>Timeouts, retries and the answer size limit of queries to Prometheus.</summary>
public sealed class PrometheusClientOptions
{
    /// <summary>Default of <see cref="MaxResponseBytes"/>: 4 MiB, thousands of series, far above what a check query returns.</summary>
    public const int DefaultMaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>Time one HTTP attempt may take, body included. Default 5 s, Flagger's query timeout.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a transient failure (connection error, timeout, 429, 502, 503, 504). Default 2.</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Base delay between retries (exponential with jitter). Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Largest answer body read, in bytes; a larger one fails the query (an error naming the address and the limit)
    /// instead of filling the controller's memory. Default <see cref="DefaultMaxResponseBytes"/> (4 MiB).
    /// </summary>
    public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;
}
