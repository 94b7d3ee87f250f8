using System.Text.Json.Serialization;
using Canary.Api.V1Beta1;

namespace Canary.Webhooks.Hooks;

/// <summary>The JSON body POSTed to every webhook, field for field Flagger's <c>CanaryWebhookPayload</c>.</summary>
/// <param name="Name">Name of the Canary.</param>
/// <param name="Namespace">Namespace of the Canary.</param>
/// <param name="Phase">Phase string as Flagger writes it, e.g. <c>Progressing</c> ("" before the first reconcile).</param>
/// <param name="Checksum">Revision under test, see <see cref="CanaryChecksum"/>.</param>
/// <param name="Metadata">The hook's metadata (event hooks add eventMessage, eventType, timestamp); omitted when empty.</param>
public sealed record WebhookPayload(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("checksum")] string Checksum,
    [property: JsonPropertyName("metadata")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, string>? Metadata)
{
    /// <summary>
    /// The latest metric checks of the rollout (verdict, values, samples, p-value, reason), newest last; omitted when there
    /// are none. An addition to Flagger's payload, so a gate can decide on the judge's verdicts.
    /// </summary>
    [JsonPropertyName("checks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CanaryCheck>? Checks { get; init; }
}
