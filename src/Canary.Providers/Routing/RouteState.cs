namespace Canary.Providers.Routing;

/// <summary>Traffic split as read from (or written to) a provider's routing objects.</summary>
/// <param name="PrimaryWeight">Percentage of traffic served by the primary (0-100).</param>
/// <param name="CanaryWeight">Percentage of traffic served by the canary (0-100).</param>
/// <param name="Mirrored">True when traffic served by the primary is also mirrored (shadowed) to the canary.</param>
public readonly record struct RouteState(int PrimaryWeight, int CanaryWeight, bool Mirrored)
{
    /// <summary>All traffic on the primary, no mirroring: the state between rollouts.</summary>
    public static RouteState AllPrimary { get; } = new(100, 0, false);

    /// <summary>Throws when the weights are outside 0-100 (the sum is not checked: A/B routes 0/100 by design).</summary>
    internal static void Validate(int primaryWeight, int canaryWeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(primaryWeight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(primaryWeight, 100);
        ArgumentOutOfRangeException.ThrowIfNegative(canaryWeight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(canaryWeight, 100);
    }
}
