using Canary.Cli.Commands.Live.Screen;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Commands.Live.Watching;

/// <summary>How a watch ended.</summary>
internal enum WatchOutcome
{
    /// <summary>Still watching.</summary>
    Running,

    /// <summary>The rollout ended promoted (Succeeded), or initialisation ended (Initialized).</summary>
    Succeeded,

    /// <summary>The rollout was rolled back.</summary>
    Failed,

    /// <summary>The Canary was deleted.</summary>
    Deleted,
}

/// <summary>The Canary, its Events and its images as last seen by a watch, and whether that ends it.</summary>
internal sealed record WatchState(CanaryResource Canary, IReadOnlyList<Corev1Event> Events, WorkloadImages Images, WatchOutcome Outcome)
{
    public CanaryScreen Screen() => CanaryScreenBuilder.Build(Canary, Events, Images);

    /// <summary>The most recent Event, or null.</summary>
    public Corev1Event? LastEvent => CanaryScreenBuilder.Chronological(Events).LastOrDefault();

    /// <summary>The outcome a phase means for a watch: idle phases end it.</summary>
    public static WatchOutcome OutcomeOf(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return RolloutProgress.PhaseName(canary.Status?.Phase) switch
        {
            nameof(Api.V1Beta1.CanaryPhase.Failed) => WatchOutcome.Failed,
            nameof(Api.V1Beta1.CanaryPhase.Succeeded) or nameof(Api.V1Beta1.CanaryPhase.Initialized) => WatchOutcome.Succeeded,
            _ => WatchOutcome.Running,
        };
    }
}
