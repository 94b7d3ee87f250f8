using Canary.Rollout.Engine;

namespace Canary.Rollout.Targets;

/// <summary>
/// A target that makes its own <c>-primary</c>/<c>-canary</c> Services (a core Service target): the engine uses its
/// <see cref="Services"/> instead of the generated-Services router (which would take over an apex and select pods).
/// </summary>
public interface IOwnsServices
{
    /// <summary>The Services router of this target kind.</summary>
    IServiceRouter Services { get; }
}
