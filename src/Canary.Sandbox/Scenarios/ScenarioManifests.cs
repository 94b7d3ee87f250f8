using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.Demo;
using Canary.Sandbox.Workloads;

namespace Canary.Sandbox.Scenarios;

/// <summary>
/// The objects of one <see cref="ReleaseRun"/>: its namespace, the podinfo Deployment (one replica: the statistics are
/// per version, not per pod, and fewer pods mean fewer series to scrape), the Canary with the policy's scaled analysis,
/// and for nginx the Ingress. The demo's manifests with the run's namespace and behaviour.
/// </summary>
public static class ScenarioManifests
{
    /// <summary>Name of the Deployment, the Canary and the apex Service.</summary>
    public const string AppName = DemoManifests.AppName;

    /// <summary>The canary's Deployment (the user's target).</summary>
    public const string CanaryWorkload = AppName;

    /// <summary>The primary's Deployment.</summary>
    public const string PrimaryWorkload = AppName + "-primary";

    /// <summary>The namespace object.</summary>
    public static JsonObject Namespace(string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = ns },
    };

    /// <summary>The Deployment running <paramref name="behavior"/> as image tag <paramref name="version"/>.</summary>
    public static JsonObject Deployment(string ns, string version, VersionBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        var deployment = DemoManifests.Deployment(new AppRelease(version, behavior.ErrorRate, behavior.LatencyP50, behavior.LatencyP99));
        deployment["metadata"]!["namespace"] = ns;
        deployment["spec"]!["replicas"] = 1;
        deployment["spec"]!["template"]!["metadata"]!["annotations"] = Annotations(behavior);
        return deployment;
    }

    /// <summary>The merge patch of a release: the new image and the canary's behaviour on the pod template.</summary>
    public static JsonObject ReleasePatch(string ns, string version, VersionBehavior behavior) => new()
    {
        ["spec"] = new JsonObject { ["template"] = Deployment(ns, version, behavior)["spec"]!["template"]!.DeepClone() },
    };

    /// <summary>The sandbox behaviour annotations, exact (the demo's rounds error rates to 0.1 %).</summary>
    public static JsonObject Annotations(VersionBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        return new JsonObject
        {
            [SandboxAnnotations.ErrorRate] = behavior.ErrorRate.ToString("R", CultureInfo.InvariantCulture),
            [SandboxAnnotations.LatencyP50] = Ms(behavior.LatencyP50),
            [SandboxAnnotations.LatencyP99] = Ms(behavior.LatencyP99),
        };
    }

    /// <summary>The Canary of <paramref name="run"/>: the scenario's provider, the policy's analysis scaled by <paramref name="scale"/>.</summary>
    public static JsonObject Canary(ReleaseRun run, TimeScale scale)
    {
        ArgumentNullException.ThrowIfNull(run);
        var profile = DemoProfile.For(run.Scenario.Provider);
        var spec = new JsonObject
        {
            ["provider"] = profile.Provider,
            ["targetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = AppName },
            ["service"] = profile.Service(),
            ["analysis"] = run.Policy.Analysis(scale),
        };
        if (profile.Ingress is { } ingress)
        {
            spec["ingressRef"] = new JsonObject { ["apiVersion"] = "networking.k8s.io/v1", ["kind"] = "Ingress", ["name"] = ingress };
        }

        return new JsonObject
        {
            ["apiVersion"] = "canary.dev/v1beta1",
            ["kind"] = "Canary",
            ["metadata"] = new JsonObject { ["name"] = AppName, ["namespace"] = run.Namespace },
            ["spec"] = spec,
        };
    }

    /// <summary>The user's Ingress for nginx, or null for other providers.</summary>
    public static JsonObject? Ingress(ReleaseRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (DemoProfile.For(run.Scenario.Provider).Ingress is not { } name)
        {
            return null;
        }

        var ingress = DemoManifests.Ingress(name);
        ingress["metadata"]!["namespace"] = run.Namespace;
        return ingress;
    }

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms";
}
