using System.Text.Json.Serialization;
using Canary.Api.Crd;
using k8s;
using k8s.Models;

namespace Canary.Api.V1Beta1;

/// <summary>A chat or incident channel that receives rollout alerts.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class AlertProvider : IKubernetesObject<V1ObjectMeta>, ISpec<AlertProviderSpec>, IStatus<ResourceStatus?>
{
    public const string KubeGroup = CanaryApi.Group;
    public const string KubeApiVersion = CanaryApi.Version;
    public const string KubeKind = "AlertProvider";
    public const string KubePluralName = "alertproviders";

    /// <summary>APIVersion of this object, canary.dev/v1beta1.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CanaryApi.ApiVersion;

    /// <summary>Kind of this object, AlertProvider.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Where and how alerts are sent.</summary>
    [JsonPropertyName("spec")]
    public AlertProviderSpec Spec { get; set; } = new();

    /// <summary>Observed state, written by the controller.</summary>
    [JsonPropertyName("status")]
    public ResourceStatus? Status { get; set; }
}

/// <summary>Where and how an <see cref="AlertProvider"/> sends alerts.</summary>
public sealed class AlertProviderSpec
{
    /// <summary>Kind of service: slack, msteams, discord, rocket or gchat.</summary>
    [JsonPropertyName("type")]
    [CrdRequired]
    [CrdEnum(AlertProviderTypes.Slack, AlertProviderTypes.MsTeams, AlertProviderTypes.Discord, AlertProviderTypes.Rocket, AlertProviderTypes.GChat)]
    public string? Type { get; set; }

    /// <summary>Channel to post to. Default general.</summary>
    [JsonPropertyName("channel")]
    public string? Channel { get; set; }

    /// <summary>User name the alerts are posted as. Default canary.</summary>
    [JsonPropertyName("username")]
    public string? Username { get; set; }

    /// <summary>Webhook URL of the service; the secret's address key overrides it.</summary>
    [JsonPropertyName("address")]
    public string? Address { get; set; }

    /// <summary>HTTP(S) proxy URL used to reach the service.</summary>
    [JsonPropertyName("proxy")]
    public string? Proxy { get; set; }

    /// <summary>Secret with an address key (webhook URL) and optional token key (bearer token).</summary>
    [JsonPropertyName("secretRef")]
    public SecretKeyReference? SecretRef { get; set; }
}

/// <summary>Alert provider types accepted in <c>spec.type</c>.</summary>
public static class AlertProviderTypes
{
    public const string Slack = "slack";
    public const string MsTeams = "msteams";
    public const string Discord = "discord";
    public const string Rocket = "rocket";
    public const string GChat = "gchat";

    /// <summary>Every accepted type.</summary>
    public static IReadOnlyList<string> All { get; } = [Slack, MsTeams, Discord, Rocket, GChat];
}

/// <summary>A list of <see cref="AlertProvider"/> objects.</summary>
public sealed class AlertProviderList : IKubernetesObject<V1ListMeta>, IItems<AlertProvider>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CanaryApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "AlertProviderList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<AlertProvider> Items { get; set; } = [];
}
