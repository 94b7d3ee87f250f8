using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.Demo;

/// <summary>The fields of a Canary's status the story follows.</summary>
/// <param name="Phase">status.phase.</param>
/// <param name="Weight">status.canaryWeight.</param>
/// <param name="FailedChecks">status.failedChecks.</param>
/// <param name="Iterations">status.iterations.</param>
/// <param name="LastAppliedSpec">status.lastAppliedSpec: the revision the controller last saw.</param>
public sealed record CanarySnapshot(CanaryPhase Phase, int Weight, int FailedChecks, int Iterations, string? LastAppliedSpec)
{
    /// <summary>Before the controller wrote any status.</summary>
    public static CanarySnapshot Empty { get; } = new(CanaryPhase.None, 0, 0, 0, null);

    /// <summary>Same phase, weight, failed checks and iterations (what a live line shows).</summary>
    public bool SameStep(CanarySnapshot other) =>
        other is not null && Phase == other.Phase && Weight == other.Weight && FailedChecks == other.FailedChecks && Iterations == other.Iterations;
}

/// <summary>
/// Reads the demo Canary's status and the controller's Warning events straight from the emulated API server's store,
/// as <c>kubectl get canary</c> and <c>kubectl get events</c> would show them.
/// </summary>
public sealed class CanaryObserver(ObjectStore store)
{
    private static readonly GroupVersionResource Canaries = new(CanaryApi.Group, CanaryApi.Version, Api.V1Beta1.Canary.KubePluralName);
    private readonly HashSet<string> _seenEvents = new(StringComparer.Ordinal);
    private readonly HashSet<(DateTime?, string?)> _seenChecks = [];

    /// <summary>The Canary's status now (<see cref="CanarySnapshot.Empty"/> before it exists or has a status).</summary>
    public CanarySnapshot Read()
    {
        JsonObject json;
        try
        {
            json = store.Get(Canaries, DemoManifests.Namespace, DemoManifests.AppName);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return CanarySnapshot.Empty;
        }

        var status = CanaryJson.Deserialize<Api.V1Beta1.Canary>(json.ToJsonString()).Status;
        return status is null
            ? CanarySnapshot.Empty
            : new CanarySnapshot(status.Phase ?? CanaryPhase.None, status.CanaryWeight ?? 0, status.FailedChecks ?? 0, status.Iterations ?? 0, status.LastAppliedSpec);
    }

    /// <summary>The Canary's metric checks (status.checks) not returned before, oldest first.</summary>
    public IReadOnlyList<CanaryCheck> NewChecks()
    {
        JsonObject json;
        try
        {
            json = store.Get(Canaries, DemoManifests.Namespace, DemoManifests.AppName);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return [];
        }

        var checks = CanaryJson.Deserialize<Api.V1Beta1.Canary>(json.ToJsonString()).Status?.Checks ?? [];
        return [.. checks.Where(c => _seenChecks.Add((c.Time, c.Metric)))];
    }

    /// <summary>Warning events about the Canary not returned before, oldest first.</summary>
    public IReadOnlyList<string> NewWarnings()
    {
        var fresh = new List<(DateTimeOffset At, string Message)>();
        foreach (var item in store.List(BuiltInResources.Events, DemoManifests.Namespace).Items)
        {
            var name = item["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
            var involved = item["involvedObject"];
            if (involved?["kind"]?.GetValue<string>() != Api.V1Beta1.Canary.KubeKind
                || involved["name"]?.GetValue<string>() != DemoManifests.AppName
                || !_seenEvents.Add(name)
                || item["type"]?.GetValue<string>() != "Warning")
            {
                continue;
            }

            var at = item["lastTimestamp"]?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : DateTimeOffset.MinValue;
            fresh.Add((at, item["message"]?.GetValue<string>() ?? string.Empty));
        }

        return [.. fresh.OrderBy(e => e.At).Select(e => e.Message)];
    }

    /// <summary>Marks every event there is now as seen (a step only reports its own).</summary>
    public void SkipExistingEvents()
    {
        _ = NewWarnings();
        _ = NewChecks();
    }
}
