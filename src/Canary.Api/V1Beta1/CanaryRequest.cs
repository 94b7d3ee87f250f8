using System.Text.Json.Serialization;
using Canary.Api.Crd;
using k8s;
using k8s.Models;

namespace Canary.Api.V1Beta1;

/// <summary>
/// A one-off control of a Canary's release (promote, abort, pause, resume, retry, skip-analysis), acted on once by the
/// controller. A separate object rather than a field or annotation of the Canary, so a GitOps reconcile of the Canary
/// never undoes it and release managers can be granted it without write access to Canaries.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class CanaryRequest : IKubernetesObject<V1ObjectMeta>, ISpec<CanaryRequestSpec>, IStatus<CanaryRequestStatus?>
{
    public const string KubeGroup = CanaryApi.Group;
    public const string KubeApiVersion = CanaryApi.Version;
    public const string KubeKind = "CanaryRequest";
    public const string KubePluralName = "canaryrequests";

    /// <summary>APIVersion of this object, canary.dev/v1beta1.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CanaryApi.ApiVersion;

    /// <summary>Kind of this object, CanaryRequest.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>What is asked of which Canary.</summary>
    [JsonPropertyName("spec")]
    public CanaryRequestSpec Spec { get; set; } = new();

    /// <summary>What the controller did with the request.</summary>
    [JsonPropertyName("status")]
    public CanaryRequestStatus? Status { get; set; }

    /// <summary>
    /// A request for <paramref name="action"/> on <paramref name="canary"/>, named after both and owned by the Canary (so
    /// it is garbage-collected with it): what <c>kubectl canary ACTION</c> and the dashboard's buttons create.
    /// </summary>
    public static CanaryRequest For(Canary canary, string action, bool force, string? reason)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return new CanaryRequest
        {
            Metadata = new V1ObjectMeta
            {
                GenerateName = $"{canary.Metadata.Name}-{action}-",
                NamespaceProperty = canary.Metadata.NamespaceProperty,
                OwnerReferences = [new V1OwnerReference { ApiVersion = CanaryApi.ApiVersion, Kind = Canary.KubeKind, Name = canary.Metadata.Name, Uid = canary.Metadata.Uid }],
            },
            Spec = new CanaryRequestSpec
            {
                Canary = canary.Metadata.Name,
                Action = action,
                Force = force ? true : null,
                Reason = string.IsNullOrEmpty(reason) ? null : reason,
            },
        };
    }
}

/// <summary>A list of <see cref="CanaryRequest"/> objects, as returned by list calls.</summary>
public sealed class CanaryRequestList : IKubernetesObject<V1ListMeta>, IItems<CanaryRequest>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CanaryApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "CanaryRequestList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<CanaryRequest> Items { get; set; } = [];
}

/// <summary>The control asked of one Canary in the request's namespace.</summary>
public sealed class CanaryRequestSpec
{
    /// <summary>Name of the Canary, in the request's namespace.</summary>
    [JsonPropertyName("canary")]
    [CrdRequired]
    public string? Canary { get; set; }

    /// <summary>promote, abort, pause, resume, retry or skip-analysis.</summary>
    [JsonPropertyName("action")]
    [CrdRequired]
    [CrdEnum(CanaryControls.Promote, CanaryControls.Abort, CanaryControls.Pause, CanaryControls.Resume, CanaryControls.Retry, CanaryControls.SkipAnalysis)]
    public string? Action { get; set; }

    /// <summary>promote only: skip the confirm-promotion gates too.</summary>
    [JsonPropertyName("force")]
    public bool? Force { get; set; }

    /// <summary>Why, in the asker's words: carried into the Event and the Canary's status.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }
}

/// <summary>What the controller did with a <see cref="CanaryRequest"/>; set once.</summary>
public sealed class CanaryRequestStatus
{
    /// <summary>Accepted or Refused.</summary>
    [JsonPropertyName("result")]
    public string? Result { get; set; }

    /// <summary>What was done, or why not.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>When the controller acted on the request.</summary>
    [JsonPropertyName("handledTime")]
    public DateTime? HandledTime { get; set; }

    /// <summary>Phase of the Canary when the request was handled.</summary>
    [JsonPropertyName("canaryPhase")]
    public string? CanaryPhase { get; set; }
}

/// <summary>One handled control, as kept in the Canary's status (newest last, at most 10).</summary>
public sealed class CanaryControlRecord
{
    /// <summary>Name of the CanaryRequest.</summary>
    [JsonPropertyName("request")]
    public string? Request { get; set; }

    /// <summary>metadata.uid of the CanaryRequest: a request is acted on once.</summary>
    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    /// <summary>The action asked.</summary>
    [JsonPropertyName("action")]
    public string? Action { get; set; }

    /// <summary>promote: whether the confirm-promotion gates were skipped.</summary>
    [JsonPropertyName("force")]
    public bool? Force { get; set; }

    /// <summary>The asker's reason.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>When the request was made (its creationTimestamp).</summary>
    [JsonPropertyName("requestedTime")]
    public DateTime? RequestedTime { get; set; }

    /// <summary>When the controller acted on it.</summary>
    [JsonPropertyName("handledTime")]
    public DateTime? HandledTime { get; set; }

    /// <summary>Accepted or Refused.</summary>
    [JsonPropertyName("result")]
    public string? Result { get; set; }

    /// <summary>What was done, or why not.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary>The actions of a <see cref="CanaryRequest"/> and its results.</summary>
public static class CanaryControls
{
    public const string Promote = "promote";
    public const string Abort = "abort";
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Retry = "retry";
    public const string SkipAnalysis = "skip-analysis";

    /// <summary>Every action, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Promote, Abort, Pause, Resume, Retry, SkipAnalysis];

    /// <summary>The request was acted on.</summary>
    public const string Accepted = "Accepted";

    /// <summary>The request did not apply (wrong phase, unknown Canary, invalid request); nothing changed.</summary>
    public const string Refused = "Refused";

    /// <summary>A promotion requested without force: through the confirm-promotion gates.</summary>
    public const string PromotionGated = "Gated";

    /// <summary>A promotion requested with force: the confirm-promotion gates are skipped.</summary>
    public const string PromotionForced = "Forced";
}
