namespace Canary.MetricTemplates.Providers;

/// <summary>Timeouts and retries of queries to Prometheus.</summary>
public sealed class PrometheusClientOptions
{
    /// <summary>Time one HTTP attempt may take, body included. Default 5 s, Flagger's query timeout.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a transient failure (connection error, timeout, 429, 502, 503, 504). Default 2.</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Base delay between retries (exponential with jitter). Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
