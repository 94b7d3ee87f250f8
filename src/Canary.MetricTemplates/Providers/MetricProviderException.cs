namespace Canary.MetricTemplates.Providers;

/// <summary>A metric provider cannot be built: unsupported type, invalid address, or incomplete credentials.</summary>
public sealed class MetricProviderException : Exception
{
    public MetricProviderException()
    {
    }

    public MetricProviderException(string message)
        : base(message)
    {
    }

    public MetricProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
