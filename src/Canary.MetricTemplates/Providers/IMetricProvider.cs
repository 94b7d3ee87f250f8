namespace Canary.MetricTemplates.Providers;

/// <summary>A metrics backend that runs an already rendered query and returns one number.</summary>
public interface IMetricProvider
{
    /// <summary>Provider type as written in a MetricTemplate, e.g. prometheus.</summary>
    string Type { get; }

    /// <summary>Runs <paramref name="query"/> and returns its single value, no data, or the failure; never throws for provider errors.</summary>
    Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken);

    /// <summary>Checks that the backend answers a trivial query (Prometheus: <c>vector(1)</c> returns 1).</summary>
    Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken);
}
