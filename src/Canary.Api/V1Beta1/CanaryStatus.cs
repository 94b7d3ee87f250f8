using System.Text.Json.Serialization;
using Canary.Api.Serialization;
using k8s.Models;

namespace Canary.Api.V1Beta1;

/// <summary>Observed state of a rollout, written only by the controller (the rollout's checkpoint).</summary>
public sealed class CanaryStatus
{
    /// <summary>Current phase of the rollout.</summary>
    [JsonPropertyName("phase")]
    [JsonConverter(typeof(KubernetesEnumConverter<CanaryPhase>))]
    public CanaryPhase? Phase { get; set; }

    /// <summary>Traffic weight last routed to the canary (0-100).</summary>
    [JsonPropertyName("canaryWeight")]
    public int? CanaryWeight { get; set; }

    /// <summary>Failed checks in the current analysis.</summary>
    [JsonPropertyName("failedChecks")]
    public int? FailedChecks { get; set; }

    /// <summary>Iterations completed by the A/B testing or blue/green analysis.</summary>
    [JsonPropertyName("iterations")]
    public int? Iterations { get; set; }

    /// <summary>Hash of the target's pod template (or Service spec) last seen.</summary>
    [JsonPropertyName("lastAppliedSpec")]
    public string? LastAppliedSpec { get; set; }

    /// <summary>Hash of the target spec currently running in the primary.</summary>
    [JsonPropertyName("lastPromotedSpec")]
    public string? LastPromotedSpec { get; set; }

    /// <summary>Checksums of the ConfigMaps and Secrets referenced by the target, keyed configmap/name or secret/name.</summary>
    [JsonPropertyName("trackedConfigs")]
    public IDictionary<string, string>? TrackedConfigs { get; set; }

    /// <summary>Time of the last status change.</summary>
    [JsonPropertyName("lastTransitionTime")]
    public DateTime? LastTransitionTime { get; set; }

    /// <summary>Cookie (name=value) pinning users to the canary in the current rollout.</summary>
    [JsonPropertyName("sessionAffinityCookie")]
    public string? SessionAffinityCookie { get; set; }

    /// <summary>Cookie (name=value) pinning users to the primary in the current rollout.</summary>
    [JsonPropertyName("primarySessionAffinityCookie")]
    public string? PrimarySessionAffinityCookie { get; set; }

    /// <summary>Canary cookie of the previous rollout, expired by the controller.</summary>
    [JsonPropertyName("previousSessionAffinityCookie")]
    public string? PreviousSessionAffinityCookie { get; set; }

    /// <summary>Start of the current traffic step: the judge's window, so canary and primary are compared under the same weight.</summary>
    [JsonPropertyName("stepStartTime")]
    public DateTime? StepStartTime { get; set; }

    /// <summary>Inconclusive checks in a row in the current rollout (judge).</summary>
    [JsonPropertyName("inconclusiveChecks")]
    public int? InconclusiveChecks { get; set; }

    /// <summary>The metric checks of the current rollout, newest last (at most 20).</summary>
    [JsonPropertyName("checks")]
    public IList<CanaryCheck>? Checks { get; set; }

    /// <summary>Judge: request and failure counts of each error-type metric per traffic step of the current rollout (at most 40).</summary>
    [JsonPropertyName("evidence")]
    public IList<CanaryStepEvidence>? Evidence { get; set; }

    /// <summary>The current rollout's steps, oldest first (at most 40): each phase change and each weight or iteration.</summary>
    [JsonPropertyName("timeline")]
    public IList<CanaryTimelineEntry>? Timeline { get; set; }

    /// <summary>The last answer of each webhook called in the current rollout (at most 20).</summary>
    [JsonPropertyName("webhooks")]
    public IList<CanaryWebhookResult>? Webhooks { get; set; }

    /// <summary>A pause control holds the release: the weight stays, checks keep running and reporting, nothing fails.</summary>
    [JsonPropertyName("paused")]
    public bool? Paused { get; set; }

    /// <summary>A promote control waiting to be carried out: Gated (through the confirm-promotion gates) or Forced.</summary>
    [JsonPropertyName("requestedPromotion")]
    public string? RequestedPromotion { get; set; }

    /// <summary>A skip-analysis control: the current (or next) release is promoted without analysis.</summary>
    [JsonPropertyName("skipAnalysisOnce")]
    public bool? SkipAnalysisOnce { get; set; }

    /// <summary>A retry control: the failed revision is analysed again as soon as the primary is ready.</summary>
    [JsonPropertyName("retryRequested")]
    public bool? RetryRequested { get; set; }

    /// <summary>The control requests handled (CanaryRequest), newest last (at most 10).</summary>
    [JsonPropertyName("controls")]
    public IList<CanaryControlRecord>? Controls { get; set; }

    /// <summary>Conditions of the Canary; Promoted tells whether the last rollout was promoted.</summary>
    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>metadata.generation of the spec this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }
}

/// <summary>One step of a rollout: when the phase, the weight or the iteration changed.</summary>
public sealed class CanaryTimelineEntry
{
    /// <summary>When the step was taken.</summary>
    [JsonPropertyName("time")]
    public DateTime? Time { get; set; }

    /// <summary>Phase after the step.</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>Canary weight after the step.</summary>
    [JsonPropertyName("weight")]
    public int? Weight { get; set; }

    /// <summary>Iterations done after the step (A/B testing, blue/green).</summary>
    [JsonPropertyName("iterations")]
    public int? Iterations { get; set; }
}

/// <summary>The last answer of one webhook in the current rollout.</summary>
public sealed class CanaryWebhookResult
{
    /// <summary>Webhook name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Webhook type (pre-rollout, rollout, confirm-promotion, ...).</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>When it answered.</summary>
    [JsonPropertyName("time")]
    public DateTime? Time { get; set; }

    /// <summary>Whether it passed (for gates: approved).</summary>
    [JsonPropertyName("passed")]
    public bool? Passed { get; set; }

    /// <summary>Its answer or the failure, as in Events.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
