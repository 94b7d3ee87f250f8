namespace Canary.Providers.Routing;

/// <summary>A routing operation failed for a reason the user or operator can act on (bad spec, missing object, not ready).</summary>
public sealed class TrafficRouterException : Exception
{
    public TrafficRouterException()
    {
    }

    public TrafficRouterException(string message)
        : base(message)
    {
    }

    public TrafficRouterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
