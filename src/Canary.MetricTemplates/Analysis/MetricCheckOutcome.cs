namespace Canary.MetricTemplates.Analysis;

/// <summary>Verdict of one metric check. Only <see cref="Passed"/> lets a rollout advance.</summary>
public enum MetricCheckOutcome
{
    /// <summary>The value is inside the threshold range.</summary>
    Passed,

    /// <summary>The value is outside the threshold range.</summary>
    ThresholdExceeded,

    /// <summary>The query returned no data (empty result or NaN), usually because the canary gets no traffic.</summary>
    NoData,

    /// <summary>The metric provider could not be reached (connection error, timeout, 502/503/504).</summary>
    ProviderUnreachable,

    /// <summary>The provider rejected the query or answered something unusable.</summary>
    QueryFailed,

    /// <summary>Judge: too few samples on a side for a verdict; neither passes nor fails, the weight holds.</summary>
    Inconclusive,

    /// <summary>Judge: the canary is worse than the primary beyond the allowed ratio, with the configured confidence.</summary>
    WorseThanPrimary,

    /// <summary>The check is misconfigured: template or secret missing, render error, unsupported provider, no query.</summary>
    ConfigurationError,
}
