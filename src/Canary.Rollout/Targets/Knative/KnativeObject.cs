using System.Text.Json.Nodes;
using Canary.Kubernetes.Json;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Targets.Knative;

/// <summary>A Knative object (Service or Revision) in a <see cref="TargetSnapshot"/>: its metadata typed, the rest as JSON.</summary>
internal sealed class KnativeObject : IKubernetesObject<V1ObjectMeta>
{
    public KnativeObject(JsonObject json)
    {
        Json = json ?? throw new ArgumentNullException(nameof(json));
        ApiVersion = (string?)json["apiVersion"] ?? string.Empty;
        Kind = (string?)json["kind"] ?? string.Empty;
        Metadata = json["metadata"] is JsonObject metadata ? JsonNodes.ToKube<V1ObjectMeta>(metadata) : new V1ObjectMeta();
    }

    /// <summary>The object as read.</summary>
    public JsonObject Json { get; }

    public string ApiVersion { get; set; }

    public string Kind { get; set; }

    public V1ObjectMeta Metadata { get; set; }
}
