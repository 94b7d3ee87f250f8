namespace Canary.MetricTemplates.Providers;

/// <summary>Creates metric providers from a provider spec.</summary>
public interface IMetricProviderFactory
{
    /// <summary>Builds a provider; throws <see cref="MetricProviderException"/> for an unsupported type, a bad address or incomplete credentials.</summary>
    IMetricProvider Create(MetricProviderSpec spec);
}
