namespace Canary.Webhooks.Alerts;

/// <summary>An alert could not be delivered (non-2xx answer, timeout, unreachable service).</summary>
public sealed class AlertDeliveryException : Exception
{
    public AlertDeliveryException()
    {
    }

    public AlertDeliveryException(string message)
        : base(message)
    {
    }

    public AlertDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
