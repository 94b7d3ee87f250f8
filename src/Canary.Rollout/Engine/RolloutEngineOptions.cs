using Canary.Api.Support;

namespace Canary.Rollout.Engine;

/// <summary>Controller-wide settings of the rollout engine.</summary>
public sealed class RolloutEngineOptions
{
    /// <summary>Finalizer added to Canaries with revertOnDeletion.</summary>
    public const string Finalizer = "finalizer.canary.dev";

    /// <summary>Requeue delay while waiting for a workload during deletion or after an error reading the target.</summary>
    public TimeSpan ShortRequeue { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>What this controller implements; a Canary asking for anything else is refused by field path.</summary>
    public ApiSupport Support { get; set; } = ControllerSupport.For(null);
}
