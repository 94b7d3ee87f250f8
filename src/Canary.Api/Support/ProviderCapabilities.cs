namespace Canary.Api.Support;

/// <summary>What a traffic provider can do; validation refuses a spec that asks for anything else.</summary>
/// <param name="SplitsTraffic">Weighted canary steps; false = blue/green by switching only (iterations).</param>
/// <param name="WeightedMirror">Mirroring with the canary strategy (a share of traffic shadowed while weights move).</param>
/// <param name="BlueGreenMirror">Mirroring during blue/green iterations.</param>
/// <param name="Matches">A/B testing: routes requests matching headers/cookies to the canary.</param>
/// <param name="SessionAffinity">Cookie-based stickiness to the canary.</param>
public sealed record ProviderCapabilities(bool SplitsTraffic, bool WeightedMirror, bool BlueGreenMirror, bool Matches, bool SessionAffinity)
{
    /// <summary>Everything (for API-level checks that know no controller).</summary>
    public static ProviderCapabilities All { get; } = new(true, true, true, true, true);
}
