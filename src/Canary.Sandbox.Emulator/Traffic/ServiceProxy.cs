using Canary.Sandbox.ApiServer.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Canary.Sandbox.Traffic;

/// <summary>
/// The sandbox's Services over real HTTP on 127.0.0.1: an HTTP proxy that routes on the Service's DNS name
/// (<c>svc.ns</c>, <c>svc.ns.svc</c>, <c>svc.ns.svc.cluster.local</c>, any port), answered by the simulated pods with their
/// error rates and latencies and counted in the same metrics as the simulated clients. A client needs no kubeconfig:
/// <c>HTTP_PROXY=http://127.0.0.1:PORT</c> (.NET's HttpClient and curl honour it; canary-loadtester takes it as --proxy) sends
/// <c>http://podinfo-canary.test:9898/</c> here; a plain request with that Host header works too.
/// </summary>
public sealed class ServiceProxy : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServiceProxy(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>http://127.0.0.1:PORT/ — the value for HTTP_PROXY.</summary>
    public Uri Url { get; }

    /// <summary>Starts listening on 127.0.0.1 (<paramref name="port"/> 0: any free port).</summary>
    public static async Task<ServiceProxy> StartAsync(TrafficSimulator simulator, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var (app, bound) = await LoopbackApp.StartAsync(port, web => web.Run(context => ServeAsync(simulator, context)), cancellationToken).ConfigureAwait(false);
        return new ServiceProxy(app, new Uri($"http://127.0.0.1:{bound}/"));
    }

    /// <summary>The Service a host name stands for: <c>svc.ns[.svc[.cluster.local]]</c>; null for anything else.</summary>
    public static (string Namespace, string Service)? Resolve(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.TrimEnd('.').ToLowerInvariant();
        foreach (var suffix in new[] { ".svc.cluster.local", ".svc" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        var parts = name.Split('.');
        return parts.Length == 2 && parts.All(p => p.Length > 0) ? (parts[1], parts[0]) : null;
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);

    private static async Task ServeAsync(TrafficSimulator simulator, HttpContext context)
    {
        var response = context.Response;
        if (Resolve(context.Request.Host.Host) is not { } target)
        {
            response.StatusCode = StatusCodes.Status502BadGateway;
            await response.WriteAsync($"no Service is named {context.Request.Host.Host}: use <service>.<namespace>\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // The body is read and dropped, as the app would consume it.
        await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
        var served = await simulator.ServeAsync(target.Namespace, target.Service, context.Request.Path.Value ?? "/", context.RequestAborted).ConfigureAwait(false);
        response.StatusCode = served.Status;
        if (served.Pod is { } pod)
        {
            response.Headers["X-Sandbox-Pod"] = pod;
        }

        await response.WriteAsync(served.Status switch
        {
            200 => "ok\n",
            500 => "simulated error\n",
            503 => $"no ready endpoints for Service {target.Service}.{target.Namespace}\n",
            _ => $"no Service {target.Service} in namespace {target.Namespace}\n",
        }, context.RequestAborted).ConfigureAwait(false);
    }
}
