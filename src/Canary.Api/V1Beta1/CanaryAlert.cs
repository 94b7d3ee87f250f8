using System.Text.Json.Serialization;
using Canary.Api.Crd;

namespace Canary.Api.V1Beta1;

/// <summary>Sends rollout events of at least a severity to an AlertProvider.</summary>
public sealed class CanaryAlert
{
    /// <summary>Name of the alert.</summary>
    [JsonPropertyName("name")]
    [CrdRequired]
    public string? Name { get; set; }

    /// <summary>Lowest severity sent: info (everything), warn or error. Empty sends nothing (as in Flagger).</summary>
    [JsonPropertyName("severity")]
    [CrdEnum("", AlertSeverities.Info, AlertSeverities.Warn, AlertSeverities.Error)]
    public string? Severity { get; set; }

    /// <summary>AlertProvider to notify. Default namespace: the Canary's.</summary>
    [JsonPropertyName("providerRef")]
    [CrdRequired]
    public CrossNamespaceObjectReference? ProviderRef { get; set; }
}

/// <summary>Alert severities, from most to least verbose.</summary>
public static class AlertSeverities
{
    public const string Info = "info";
    public const string Warn = "warn";
    public const string Error = "error";

    /// <summary>Every accepted severity (empty is accepted too and sends nothing).</summary>
    public static IReadOnlyList<string> All { get; } = [Info, Warn, Error];
}
