using System.Text;
using Canary.Sandbox.ApiServer.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Canary.Sandbox.Traffic;

/// <summary>
/// The sandbox's Services over real HTTP on 127.0.0.1: an HTTP proxy that routes on the Service's DNS name
/// (<c>svc.ns</c>, <c>svc.ns.svc</c>, <c>svc.ns.svc.cluster.local</c>, any port), answered by the simulated pods with their
/// error rates and latencies and podinfo's routes (<see cref="Podinfo.PodinfoApi"/>) and counted in the same metrics as
/// the simulated clients. A client needs no kubeconfig:
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

        // The pod sees the method and body (POST /token names the token after it).
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var served = await simulator.ServeAsync(target.Namespace, target.Service, context.Request.Method, context.Request.Path.Value ?? "/", body, context.RequestAborted).ConfigureAwait(false);
        response.StatusCode = served.Status;
        if (served.Pod is { } pod)
        {
            response.Headers["X-Sandbox-Pod"] = pod;
        }

        if (served.ContentType is { } contentType)
        {
            response.ContentType = contentType;
        }

        var text = served.Body ?? (served.Status == StatusCodes.Status503ServiceUnavailable
            ? $"no ready endpoints for Service {target.Service}.{target.Namespace}\n"
            : $"no Service {target.Service} in namespace {target.Namespace}\n");
        // Kestrel refuses a body on 204, 205 and 304 (Go drops it on 204 and 304): /status/204 answers headers only.
        if (text.Length > 0 && served.Status is not (StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified))
        {
            await response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
