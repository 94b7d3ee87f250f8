using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace Canary.Cli.Commands.Live;

/// <summary>
/// A client for the cluster the user's kubeconfig points at, found as kubectl finds it: <c>--kubeconfig</c>, else the
/// files of <c>$KUBECONFIG</c> (merged), else <c>~/.kube/config</c>, else the in-cluster ServiceAccount; the namespace
/// is <c>-n</c>, else the context's, else <c>default</c>.
/// </summary>
internal sealed class ClusterConnection : IDisposable
{
    private ClusterConnection(IKubernetes client, string ns)
    {
        Client = client;
        Namespace = ns;
    }

    public IKubernetes Client { get; }

    /// <summary>The namespace commands act in.</summary>
    public string Namespace { get; }

    /// <summary>Builds the client; throws <see cref="KubeConfigException"/> when no configuration is found.</summary>
    public static ClusterConnection Open(string? kubeconfig, string? context, string? ns)
    {
        var configuration = Configuration(kubeconfig, context);
        var chosen = string.IsNullOrEmpty(ns) ? configuration.Namespace : ns;
        return new ClusterConnection(new k8s.Kubernetes(configuration), string.IsNullOrEmpty(chosen) ? "default" : chosen);
    }

    private static KubernetesClientConfiguration Configuration(string? kubeconfig, string? context)
    {
        if (!string.IsNullOrEmpty(kubeconfig) && !File.Exists(kubeconfig))
        {
            throw new KubeConfigException($"stat {kubeconfig}: no such file or directory");
        }

        FileInfo[] files = !string.IsNullOrEmpty(kubeconfig)
            ? [new FileInfo(kubeconfig)]
            : [.. (Environment.GetEnvironmentVariable("KUBECONFIG") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(File.Exists)
                .Select(path => new FileInfo(path))];
        if (files.Length == 0 && File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation))
        {
            files = [new FileInfo(KubernetesClientConfiguration.KubeConfigDefaultLocation)];
        }

        if (files.Length == 0)
        {
            return KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : throw new KubeConfigException("no configuration found: set KUBECONFIG, pass --kubeconfig or create ~/.kube/config");
        }

        var config = Merge(files);
        if (!string.IsNullOrEmpty(context) && !(config.Contexts ?? []).Any(c => c.Name == context))
        {
            throw new KubeConfigException($"context \"{context}\" does not exist");
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
    }

    // kubectl's merge of the $KUBECONFIG files: the first file to name a cluster, user, context or current-context wins.
    private static K8SConfiguration Merge(FileInfo[] files)
    {
        var merged = KubernetesClientConfiguration.LoadKubeConfig(files[0]);
        foreach (var file in files.Skip(1))
        {
            var next = KubernetesClientConfiguration.LoadKubeConfig(file);
            merged.CurrentContext = string.IsNullOrEmpty(merged.CurrentContext) ? next.CurrentContext : merged.CurrentContext;
            merged.Clusters = Union(merged.Clusters, next.Clusters, c => c.Name);
            merged.Users = Union(merged.Users, next.Users, u => u.Name);
            merged.Contexts = Union(merged.Contexts, next.Contexts, c => c.Name);
        }

        return merged;
    }

    private static List<T> Union<T>(IEnumerable<T>? first, IEnumerable<T>? second, Func<T, string> name) =>
        [.. (first ?? []).Concat(second ?? []).DistinctBy(name, StringComparer.Ordinal)];

    public void Dispose() => Client.Dispose();
}
