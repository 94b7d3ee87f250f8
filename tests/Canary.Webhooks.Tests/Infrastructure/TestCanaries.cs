using Canary.Api.V1Beta1;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Webhooks.Tests.Infrastructure;

/// <summary>Canary objects for tests: podinfo in namespace test, with the given hooks and alerts.</summary>
public static class TestCanaries
{
    public const string LastAppliedSpec = "85d557f47b";

    public static CanaryResource Podinfo(IEnumerable<CanaryWebhook>? hooks = null, IEnumerable<CanaryAlert>? alerts = null, CanaryPhase phase = CanaryPhase.Progressing) => new()
    {
        Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = "test" },
        Spec = new CanarySpec
        {
            TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "podinfo" },
            Analysis = new CanaryAnalysis { Webhooks = hooks?.ToList(), Alerts = alerts?.ToList() },
        },
        Status = new CanaryStatus
        {
            Phase = phase,
            LastAppliedSpec = LastAppliedSpec,
            TrackedConfigs = new Dictionary<string, string> { ["configmap/podinfo-config"] = "e1b2c3d4e5f60718" },
        },
    };

    public static CanaryWebhook Hook(string name, Uri url, string? type = null, string? timeout = null, int? retries = null,
        IDictionary<string, string>? metadata = null, bool? muteAlert = null) => new()
    {
        Name = name,
        Url = url.AbsoluteUri,
        Type = type,
        Timeout = timeout,
        Retries = retries,
        Metadata = metadata,
        MuteAlert = muteAlert,
    };
}
