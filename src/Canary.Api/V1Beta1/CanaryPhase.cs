using System.Text.Json.Serialization;
using Canary.Api.Serialization;

namespace Canary.Api.V1Beta1;

/// <summary>Phase of a rollout, serialised with Flagger's strings ("" for <see cref="None"/>).</summary>
[JsonConverter(typeof(KubernetesEnumConverter<CanaryPhase>))]
public enum CanaryPhase
{
    /// <summary>Not reconciled yet (serialised as an empty string).</summary>
    [WireName("")]
    None,

    /// <summary>The primary is being created.</summary>
    Initializing,

    /// <summary>The primary serves all traffic; waiting for a new revision.</summary>
    Initialized,

    /// <summary>A confirm-rollout gate holds the new revision.</summary>
    Waiting,

    /// <summary>The analysis is running.</summary>
    Progressing,

    /// <summary>A confirm-promotion gate holds the promotion.</summary>
    WaitingPromotion,

    /// <summary>The canary spec is being copied to the primary.</summary>
    Promoting,

    /// <summary>Traffic is being routed back to the primary.</summary>
    Finalising,

    /// <summary>The last rollout was promoted.</summary>
    Succeeded,

    /// <summary>The last rollout was rolled back.</summary>
    Failed,

    /// <summary>The Canary is being deleted and its objects reverted.</summary>
    Terminating,

    /// <summary>Deletion finished.</summary>
    Terminated,
}
