using System.CommandLine;
using Canary.Sandbox.Demo;

namespace Canary.Sandbox.Commands;

/// <summary>
/// `demo`: starts the emulated cluster, simulated traffic, a real Prometheus and the controller, plays the release story
/// and prints it; exit code 0 only when v2 was promoted and v3 and v4 were rolled back.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var provider = new Option<string>("--provider")
        {
            Description = "Traffic provider: gatewayapi, nginx, istio, or kubernetes (blue/green)",
            DefaultValueFactory = _ => "gatewayapi",
        };
        provider.AcceptOnlyFromAmong([.. DemoProfile.Names]);
        var metrics = new Option<string>("--metrics")
        {
            Description = "Where the checks read the app's metrics: prometheus (the data plane's, built-in checks), graphite or influxdb (MetricTemplates on a real Graphite or InfluxDB)",
            DefaultValueFactory = _ => DemoProfile.PrometheusMetrics,
        };
        metrics.AcceptOnlyFromAmong([.. DemoProfile.MetricStores]);
        var keepRunning = new Option<bool>("--keep-running") { Description = "Leave everything running after the story (until Ctrl+C) to poke around with kubectl" };
        var port = new Option<int>("--port") { Description = "API server port on 127.0.0.1 (0 = any free port)", DefaultValueFactory = _ => 18080 };
        var dashboard = new Option<int>("--dashboard-port") { Description = "Port of the controller's web dashboard on this machine (0 = none)", DefaultValueFactory = _ => 18090 };
        var kubeconfig = new Option<string>("--kubeconfig-out")
        {
            Description = "Where to write the kubeconfig for kubectl (default: .sandbox/kubeconfig of the repository, else of the current folder)",
            DefaultValueFactory = _ => DefaultKubeconfig(),
        };
        var command = new Command("demo", "Play a release story (promoted, rolled back on errors, rolled back on latency) against the sandbox and a real Prometheus")
        {
            provider, metrics, keepRunning, port, dashboard, kubeconfig,
        };
        command.Validators.Add(result =>
        {
            // Runs before the defaults are filled in: an absent --provider is the default one.
            var chosen = result.GetValue(provider) is { Length: > 0 } name ? name : "gatewayapi";
            if (result.GetValue(metrics) is { } store && store != DemoProfile.PrometheusMetrics && DemoProfile.Names.Contains(chosen) && DemoProfile.For(chosen).KnativeService)
            {
                result.AddError($"--metrics {store} needs a Deployment target; the knative demo's workloads are its revisions");
            }
        });
        command.SetAction((parse, ct) => RunAsync(
            new DemoOptions
            {
                Profile = DemoProfile.For(parse.GetValue(provider)!).WithMetrics(parse.GetValue(metrics)!),
                ApiServerPort = parse.GetValue(port),
                KubeconfigPath = parse.GetValue(kubeconfig),
                DashboardPort = parse.GetValue(dashboard),
            },
            parse.GetValue(keepRunning),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(DemoOptions options, bool keepRunning, CancellationToken cancellationToken)
    {
        // Ctrl+C or SIGTERM stops the story (or the --keep-running wait) and tears everything down cleanly.
        using var stop = new StopSignals(cancellationToken);
        var output = Console.Out;
        var printer = new DemoPrinter(output, options.TimeProvider);
        printer.Write("Starting the sandbox: emulated API server, workload and traffic simulators, Prometheus, controller...");
        DemoEnvironment environment;
        try
        {
            environment = await DemoEnvironment.StartAsync(options, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            await Console.Error.WriteLineAsync($"demo: could not start the sandbox: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        int exitCode;
        await using (environment.ConfigureAwait(false))
        {
            exitCode = await PlayAsync(printer, environment, keepRunning, stop.Token).ConfigureAwait(false);
        }

        foreach (var error in environment.TeardownErrors)
        {
            await Console.Error.WriteLineAsync($"demo: while stopping: {error}").ConfigureAwait(false);
        }

        return exitCode;
    }

    private static async Task<int> PlayAsync(DemoPrinter printer, DemoEnvironment environment, bool keepRunning, CancellationToken cancellationToken)
    {
        printer.Environment(environment);
        DemoReport report;
        try
        {
            report = await new DemoStory(environment, printer).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            printer.Write("Interrupted.");
            return 130;
        }

        printer.Summary(report, environment.Options.Timings);
        if (!report.Succeeded)
        {
            printer.Write("  Last lines of the controller's log:");
            foreach (var line in environment.ControllerLogs.Lines.TakeLast(25))
            {
                printer.Write("    " + line);
            }
        }

        if (keepRunning)
        {
            await KeepRunningAsync(printer, environment, cancellationToken).ConfigureAwait(false);
        }

        return report.Succeeded ? 0 : 1;
    }

    // `dotnet run` starts the sandbox in its project folder (the Web SDK's RunWorkingDirectory), so a path relative to
    // the current folder would land in src/Canary.Sandbox: use the clone's root, where .sandbox/ is git-ignored.
    internal static string DefaultKubeconfig()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
            {
                return Path.Combine(dir.FullName, ".sandbox", "kubeconfig");
            }
        }

        return Path.Combine(Environment.CurrentDirectory, ".sandbox", "kubeconfig");
    }

    private static async Task KeepRunningAsync(DemoPrinter printer, DemoEnvironment environment, CancellationToken cancellationToken)
    {
        printer.Write(string.Empty);
        printer.Write("Everything keeps running (Ctrl+C to stop):");
        printer.Write($"  export KUBECONFIG={environment.KubeconfigPath}");
        printer.Write($"  kubectl -n {DemoManifests.Namespace} get canaries,deployments,services,pods");
        printer.Write($"  kubectl -n {DemoManifests.Namespace} get events --sort-by=.lastTimestamp -o custom-columns=TYPE:.type,MESSAGE:.message");
        printer.Write($"  export PATH=\"$PATH:{AppContext.BaseDirectory.TrimEnd('/')}\"   # kubectl-canary, built with the sandbox");
        printer.Write($"  kubectl canary watch podinfo -n {DemoManifests.Namespace}");
        if (environment.Options.DashboardPort != 0)
        {
            printer.Write($"  Dashboard:  http://127.0.0.1:{environment.Options.DashboardPort}/canaries/{DemoManifests.Namespace}/podinfo");
        }

        printer.Write($"  Prometheus: {environment.Prometheus.Url}  (e.g. http_request_duration_seconds_count)");
        if (environment.Services is { } services)
        {
            printer.Write($"  Services over HTTP: HTTP_PROXY={services.Url} curl http://{DemoManifests.AppName}.{DemoManifests.Namespace}:{DemoManifests.Port}/");
            printer.Write($"  Load tester: {environment.LoadTesterUrl}  (Flagger's API: /gate/check, /gate/open, ...)");
        }

        if (environment.InfluxDb is { } influxDb)
        {
            printer.Write($"  InfluxDB:   {influxDb.Url}query?db={influxDb.Database}&q=SELECT+*+FROM+http_requests+LIMIT+5");
        }

        if (environment.Graphite is { } graphite)
        {
            printer.Write($"  Graphite:   {graphite.Url}render?target=canary.{DemoManifests.Namespace}.*.requests&from=-5min&format=json");
        }
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the environment is disposed by the caller.
        }
    }
}
