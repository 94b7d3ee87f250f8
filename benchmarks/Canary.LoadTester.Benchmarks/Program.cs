using System.Globalization;
using System.Net;
using Canary.LoadTester.Commands;
using Canary.LoadTester.Hey;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Load tester benchmark: requests per second the native hey sustains on this machine, and whether a rate limit is
// kept on the real clock (a figure, never an assertion).
// Usage: canary-loadtester-benchmarks [seconds=5] [target URL | sandbox; default a local Kestrel answering 200 "ok"]
// "sandbox": the sandbox's Service proxy in front of a simulated podinfo (2 pods, p50 1 ms), as the demo's blue/green story.
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
WebApplication? local = null;
SandboxTarget? sandbox = null;
Uri target;
if (args.Length > 1 && args[1] == "sandbox")
{
    sandbox = await SandboxTarget.StartAsync();
    target = sandbox.Url;
}
else if (args.Length > 1)
{
    target = new Uri(args[1]);
}
else
{
    (local, target) = await LocalTarget.StartAsync();
}

Console.WriteLine($"Canary load tester benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {seconds}s per row, target {target}{(local is null ? "" : " (in-process Kestrel, sharing the cores)")}{(sandbox is null ? "" : $" through the sandbox's Service proxy {sandbox.Proxy} (in process, sharing the cores)")}");
Console.WriteLine("| hey flags | requests | errors | req/s | expected req/s | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
string[] rows = ["-c 1", "-c 10", "-c 50", "-q 10 -c 2", "-q 100 -c 10", "-q 50 -c 50"];
await new LoadRun(Hey("-n 2000 -c 10"), TimeProvider.System).RunAsync(CancellationToken.None); // warm-up: JIT, connections
foreach (var flags in rows)
{
    var options = Hey(flags);
    var s = await new LoadRun(options, TimeProvider.System).RunAsync(CancellationToken.None);
    var expected = options.RatePerWorker > 0 ? (options.RatePerWorker * options.Workers).ToString("0", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| `{flags} -z {seconds}s` | {s.Requests:N0} | {s.Errors} | {s.RequestsPerSecond:N0} | {expected} | {Ms(s.P50)} | {Ms(s.P90)} | {Ms(s.P99)} | {Ms(s.Slowest)} |"));
}

if (local is not null)
{
    await local.StopAsync();
    await local.DisposeAsync();
}

if (sandbox is not null)
{
    await sandbox.DisposeAsync();
}

return 0;

HeyOptions Hey(string flags) => HeyCommand.Parse([.. ShellWords.Split(flags), .. flags.Contains("-n ", StringComparison.Ordinal) ? Array.Empty<string>() : ["-z", $"{seconds}s"], .. sandbox is null ? Array.Empty<string>() : ["-x", sandbox.Proxy.ToString()], target.ToString()]);

static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture);

internal static class LocalTarget
{
    public static async Task<(WebApplication App, Uri Url)> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("ok"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new Uri(address + "/"));
    }
}
