using Canary.Providers.Routing;
using Canary.Rollout.Targets;

namespace Canary.Rollout.Engine;

/// <summary>What one tick resolved and observed for a Canary; null where the tick had no need or no way to.</summary>
/// <param name="Target">The target kind's implementation; null for an invalid spec, or a kind nothing implements.</param>
/// <param name="Snapshot">The target as observed at the start of the tick.</param>
/// <param name="Services">The router of the generated Services (a no-op for targets that own their Services).</param>
/// <param name="Router">The traffic provider's router; null when it could not be resolved.</param>
/// <param name="RouterError">Why the router could not be resolved.</param>
internal sealed record TickResources(ITarget? Target, TargetSnapshot? Snapshot, IServiceRouter Services, ITrafficRouter? Router, string? RouterError);
