namespace Canary.Webhooks.Alerts;

/// <summary>One attempt to deliver an alert to one provider: succeeded, or the error to log.</summary>
/// <param name="AlertName">Name of the Canary's alert entry ("global" for the global notifier).</param>
/// <param name="Provider"><c>namespace/name</c> of the AlertProvider, when known.</param>
/// <param name="ProviderType">slack, msteams, ... when known.</param>
/// <param name="Error">Null when delivered.</param>
public sealed record AlertDelivery(string AlertName, string? Provider, string? ProviderType, string? Error)
{
    /// <summary>True when the provider accepted the alert.</summary>
    public bool Succeeded => Error is null;
}
