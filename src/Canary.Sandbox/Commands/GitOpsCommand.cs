using System.CommandLine;
using System.Globalization;
using Canary.Api.Durations;
using Canary.Sandbox.GitOps;
using k8s;

namespace Canary.Sandbox.Commands;

/// <summary>
/// `gitops DIR`: a stand-in for Flux's kustomize-controller that reconciles a directory of manifests into a cluster
/// (normally the sandbox) every interval, or once with the once option (exit 1 when any object failed, 2 on bad input).
/// </summary>
internal static class GitOpsCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "Directory of *.yaml/*.yml manifests (read recursively), relative to the clone's root" };
        var interval = new Option<string>("--interval") { Description = "Time between reconciles: a Go duration (2s, 1m) or whole seconds", DefaultValueFactory = _ => "10s" };
        var kubeconfig = new Option<string>("--kubeconfig")
        {
            Description = "Kubeconfig of the cluster: by default the one demo writes (.sandbox/kubeconfig of the repository); serve writes one with --kubeconfig-out",
            DefaultValueFactory = _ => DemoCommand.DefaultKubeconfig(),
        };
        var name = new Option<string?>("--name") { Description = "The Kustomization's name: owner label and inventory ConfigMap NAME-inventory (default: the directory's name)" };
        var ns = new Option<string>("--namespace") { Description = "The Kustomization's namespace (owner label, inventory ConfigMap)", DefaultValueFactory = _ => "flux-system" };
        var once = new Option<bool>("--once") { Description = "Reconcile once and exit: 0 when every object was applied, 1 when any failed" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print every create, apply, skip and prune" };
        var command = new Command("gitops", "Reconcile a directory of manifests into the cluster like Flux's kustomize-controller (server-side apply, prune)")
        {
            directory, interval, kubeconfig, name, ns, once, verbose,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(directory)!,
            parse.GetValue(interval)!,
            parse.GetValue(kubeconfig)!,
            parse.GetValue(name),
            parse.GetValue(ns)!,
            parse.GetValue(once),
            parse.GetValue(verbose),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(string directory, string interval, string kubeconfig, string? name, string ns, bool once, bool verbose, CancellationToken cancellationToken)
    {
        ScenariosCommand.EnterCloneRoot();
        if (!TryParseInterval(interval, out var every))
        {
            return await FailAsync($"--interval must be a positive duration such as 10s or 1m, or whole seconds (got '{interval}')").ConfigureAwait(false);
        }

        if (!Directory.Exists(directory))
        {
            return await FailAsync($"no such directory: {directory}").ConfigureAwait(false);
        }

        if (!File.Exists(kubeconfig))
        {
            return await FailAsync($"no kubeconfig at {kubeconfig} (start the sandbox with `./sandbox.sh demo --keep-running`, or `serve --kubeconfig-out PATH` and pass --kubeconfig PATH)").ConfigureAwait(false);
        }

        var output = Console.Out;
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var options = new GitOpsReconcilerOptions
        {
            Directory = directory,
            Interval = every,
            Name = name,
            Namespace = ns,
            OnEvent = e =>
            {
                if (verbose || e.Action == GitOpsAction.Failed)
                {
                    output.WriteLine("  " + e);
                }
            },
            OnReconciled = r => Print(output, r),
            OnError = e => Console.Error.WriteLine($"gitops: reconcile failed: {e.Message}"),
        };
        using var reconciler = new GitOpsReconciler(client, options);
        if (once)
        {
            try
            {
                var result = await reconciler.ReconcileOnceAsync(cancellationToken).ConfigureAwait(false);
                Print(output, result);
                return result.Succeeded ? 0 : 1;
            }
            catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or IOException)
            {
                await Console.Error.WriteLineAsync($"gitops: reconcile failed: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        await output.WriteLineAsync($"gitops: reconciling {Path.GetFullPath(directory)} as Kustomization {ns}/{reconciler.Name} every {GoDuration.Format(every)} (Ctrl+C stops)").ConfigureAwait(false);
        using var stop = new StopSignals(cancellationToken);
        await reconciler.RunAsync(every, stop.Token).ConfigureAwait(false);
        return 0;
    }

    private static void Print(TextWriter output, GitOpsReconcileResult result)
    {
        // Failures of objects were printed as they happened (OnEvent); files that did not parse are printed here.
        output.WriteLine(result.Summary());
        foreach (var error in result.SourceErrors)
        {
            output.WriteLine("  failed: " + error);
        }

        output.Flush();
    }

    // Flux intervals are Go durations; a bare number is read as seconds for convenience.
    private static bool TryParseInterval(string text, out TimeSpan value)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
        }
        else if (!GoDuration.TryParse(text, out value))
        {
            return false;
        }

        return value > TimeSpan.Zero;
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"gitops: {message}").ConfigureAwait(false);
        return 2;
    }
}
