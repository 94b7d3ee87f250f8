namespace Canary.MetricTemplates.Providers;

/// <summary>Result of an availability check of a metrics backend.</summary>
/// <param name="IsOnline">True when the backend answered the probe query as expected.</param>
/// <param name="Reason">Why the backend is considered offline; null when online.</param>
public sealed record MetricProviderHealth(bool IsOnline, string? Reason)
{
    /// <summary>The backend is available.</summary>
    public static MetricProviderHealth Online { get; } = new(true, null);

    /// <summary>The backend is not available, for <paramref name="reason"/>.</summary>
    public static MetricProviderHealth Offline(string reason) => new(false, reason);
}
