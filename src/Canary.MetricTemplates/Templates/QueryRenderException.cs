namespace Canary.MetricTemplates.Templates;

/// <summary>A metric query template could not be parsed or rendered; the message names the offending variable or token.</summary>
public sealed class QueryRenderException : Exception
{
    public QueryRenderException()
    {
    }

    public QueryRenderException(string message)
        : base(message)
    {
    }

    public QueryRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
