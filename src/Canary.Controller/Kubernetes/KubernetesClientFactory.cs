using Canary.Controller.Telemetry;
using k8s;

namespace Canary.Controller.Kubernetes;

/// <summary>Builds the process's single <see cref="IKubernetes"/> with resilience, rate limit and metrics handlers.</summary>
public static class KubernetesClientFactory
{
    /// <summary>Loads a kubeconfig file, else the in-cluster config, else the default kubeconfig.</summary>
    public static KubernetesClientConfiguration LoadConfiguration(string? kubeconfig) =>
        kubeconfig is not null ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
        : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
        : KubernetesClientConfiguration.BuildDefaultConfig();

    /// <summary>Creates the client. Handler order, outermost first: retry/timeout, rate limit, metrics — so each
    /// retry waits for a token and is counted with its own status code.</summary>
    public static IKubernetes Create(
        KubernetesClientConfiguration configuration, TimeProvider time, ControllerMetrics metrics,
        double qps, int burst, KubeResilienceOptions? resilience = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
#pragma warning disable CA2000 // the client owns and disposes its handler chain
        return new k8s.Kubernetes(
            configuration,
            new KubeResilienceHandler(KubeResiliencePipeline.Create(time, resilience)),
            new RateLimitingHandler(new TokenBucket(qps, burst, time)),
            new ApiMetricsHandler(metrics, time));
#pragma warning restore CA2000
    }
}
