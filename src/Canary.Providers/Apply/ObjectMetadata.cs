using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Api.Vocabulary;
using Canary.Kubernetes.Json;
using k8s.Models;

namespace Canary.Providers.Apply;

/// <summary>Owner references and the label/annotation rules shared by every generated object.</summary>
internal static class ObjectMetadata
{
    /// <summary>kubectl's record of the user's last applied object; used to restore objects we took over.</summary>
    public const string LastAppliedConfiguration = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Flux's keys are never copied to generated objects, or Flux would garbage-collect them (Flagger's rule).</summary>
    private const string FluxToolkitMarker = "toolkit.fluxcd.io";

    /// <summary>Controller owner reference to the Canary, so generated objects are garbage-collected with it.</summary>
    public static V1OwnerReference OwnerReference(CanaryResource canary) => new()
    {
        ApiVersion = canary.ApiVersion,
        Kind = CanaryResource.KubeKind,
        Name = canary.Metadata.Name,
        Uid = canary.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>The owner reference as JSON, for custom objects.</summary>
    public static JsonArray OwnerReferencesJson(CanaryResource canary) => [JsonNodes.FromKube(OwnerReference(canary))];

    /// <summary>True when an owner reference names this Canary (Flagger compares kind and name).</summary>
    public static bool IsOwnedBy(IEnumerable<V1OwnerReference>? owners, CanaryResource canary) =>
        owners?.Any(o => o.Kind == CanaryResource.KubeKind && o.Name == canary.Metadata.Name) == true;

    /// <summary>JSON variant of <see cref="IsOwnedBy(IEnumerable{V1OwnerReference}?, CanaryResource)"/> on an object's metadata.</summary>
    public static bool IsOwnedBy(JsonObject obj, CanaryResource canary) =>
        obj["metadata"]?["ownerReferences"] is JsonArray owners &&
        owners.Any(o => (string?)o?["kind"] == CanaryResource.KubeKind && (string?)o?["name"] == canary.Metadata.Name);

    /// <summary>Labels or annotations from the spec, minus Flux's keys.</summary>
    public static Dictionary<string, string> Filtered(IDictionary<string, string>? values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (values is not null)
        {
            foreach (var (key, value) in values)
            {
                if (!key.Contains(FluxToolkitMarker, StringComparison.Ordinal))
                {
                    result[key] = value;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The annotations of a user's object that its generated copy carries (skipper's canary Ingress, APISIX's canary
    /// route): Flux's keys and kubectl's last-applied record left out, as they describe the user's object.
    /// </summary>
    public static Dictionary<string, string> CopiedAnnotations(IDictionary<string, string>? annotations)
    {
        var result = Filtered(annotations);
        result.Remove(LastAppliedConfiguration);
        return result;
    }

    /// <summary>
    /// Annotations of an object the controller generates: <paramref name="annotations"/> with Flux's markers set, so
    /// kustomize-controller and helm-controller never revert what the controller writes (Flagger's rule).
    /// </summary>
    public static Dictionary<string, string> Generated(Dictionary<string, string> annotations) => GitOpsMarkers.AddTo(annotations);

    /// <summary>Labels of <paramref name="metadata"/> (<c>service.apex</c> etc.), filtered.</summary>
    public static Dictionary<string, string> Labels(CustomMetadata? metadata) => Filtered(metadata?.Labels);

    /// <summary>Annotations of <paramref name="metadata"/>, filtered.</summary>
    public static Dictionary<string, string> Annotations(CustomMetadata? metadata) => Filtered(metadata?.Annotations);

    /// <summary>
    /// The metadata of a routing object named after the apex: name, namespace, <c>service.apex</c> labels and annotations
    /// (filtered) with Flux's markers, and the controller owner reference (Flagger puts the apex metadata on every such object).
    /// </summary>
    public static JsonObject ApexObject(CanaryResource canary, string name, string ns)
    {
        var apex = canary.Spec.Service?.Apex;
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (Labels(apex) is { Count: > 0 } labels)
        {
            metadata["labels"] = JsonNodes.Map(labels);
        }

        metadata["annotations"] = JsonNodes.Map(Generated(Annotations(apex)));
        metadata["ownerReferences"] = OwnerReferencesJson(canary);
        return metadata;
    }
}
