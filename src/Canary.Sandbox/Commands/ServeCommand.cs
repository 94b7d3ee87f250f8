using System.CommandLine;
using System.Globalization;
using Canary.Api.Durations;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.Workloads;

namespace Canary.Sandbox.Commands;

/// <summary>`serve`: runs the emulated API server until SIGINT/SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 = any free port)", DefaultValueFactory = _ => 18080 };
        var kubeconfig = new Option<string?>("--kubeconfig-out") { Description = "Write a kubeconfig for this server to this path" };
        var errorRate = new Option<double>("--error-rate") { Description = "Share (0..1) of resource requests answered with an injected error" };
        var errorVerbs = new Option<string?>("--error-verbs") { Description = "Comma-separated verbs the error rate applies to (default: all)" };
        var errorResources = new Option<string?>("--error-resources") { Description = "Comma-separated resources the error rate applies to (default: all)" };
        var errorCodes = new Option<string>("--error-codes") { Description = "Comma-separated status codes to inject", DefaultValueFactory = _ => "500,429,503" };
        var latency = new Option<int>("--latency-ms") { Description = "Latency added to every resource request" };
        var dropWatch = new Option<int>("--drop-watch-after-seconds") { Description = "Cut every watch stream after this many seconds (0 = never)" };
        var history = new Option<int>("--history-size") { Description = "Watch events retained per resource", DefaultValueFactory = _ => 10_000 };
        var log = new Option<bool>("--log") { Description = "Log requests to the console" };
        var readyDelay = new Option<string>("--ready-delay") { Description = "Go duration from a pod starting to it becoming Ready (workload simulator)", DefaultValueFactory = _ => "1s" };
        var noWorkloads = new Option<bool>("--no-workloads") { Description = "Do not run the workload simulator (Deployments etc. get no status)" };
        var command = new Command("serve", "Run the emulated Kubernetes API server until SIGINT/SIGTERM")
        {
            port, kubeconfig, errorRate, errorVerbs, errorResources, errorCodes, latency, dropWatch, history, log, readyDelay, noWorkloads,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new SandboxApiServerOptions
            {
                Port = parse.GetValue(port),
                HistorySize = parse.GetValue(history),
                EnableLogging = parse.GetValue(log),
            };
            if (!GoDuration.TryParse(parse.GetValue(readyDelay), out var ready))
            {
                await Console.Error.WriteLineAsync($"invalid --ready-delay: {parse.GetValue(readyDelay)}").ConfigureAwait(false);
                return 1;
            }

            var clusterOptions = new SandboxClusterOptions
            {
                ApiServer = options,
                EnableWorkloads = !parse.GetValue(noWorkloads),
                Workloads = new WorkloadSimulatorOptions { ReadyDelay = ready },
            };
            await using var cluster = await SandboxCluster.StartAsync(clusterOptions, ct).ConfigureAwait(false);
            var server = cluster.Server;
            server.Faults.Latency = TimeSpan.FromMilliseconds(parse.GetValue(latency));
            var drop = parse.GetValue(dropWatch);
            server.Faults.DropWatchesAfter = drop > 0 ? TimeSpan.FromSeconds(drop) : null;
            server.Faults.SetErrorRate(
                parse.GetValue(errorRate),
                Split(parse.GetValue(errorVerbs)),
                Split(parse.GetValue(errorResources)),
                Split(parse.GetValue(errorCodes))?.Select(c => int.Parse(c, CultureInfo.InvariantCulture)));
            var path = parse.GetValue(kubeconfig);
            var written = path is null ? null : server.WriteKubeconfig(path);
            var url = server.BaseUrl.GetLeftPart(UriPartial.Authority);
            await Console.Out.WriteLineAsync(written is null
                ? $"sandbox API server listening on {url}"
                : $"sandbox API server listening on {url} (kubeconfig: {written})").ConfigureAwait(false);
            await Console.Out.FlushAsync(ct).ConfigureAwait(false);
            // SIGINT and SIGTERM both mean "stop cleanly and exit 0", so neither is left to the runtime's default handling.
            using var stop = new StopSignals(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: fall through to dispose the server.
            }

            return 0;
        });
        return command;
    }

    private static string[]? Split(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
