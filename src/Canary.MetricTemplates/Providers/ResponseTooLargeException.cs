namespace Canary.MetricTemplates.Providers;

/// <summary>A backend's answer exceeded the size limit; not transient, so not retried.</summary>
internal sealed class ResponseTooLargeException : Exception
{
    public ResponseTooLargeException()
    {
    }

    public ResponseTooLargeException(string message)
        : base(message)
    {
    }

    public ResponseTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
