using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Text;

namespace Canary.MetricTemplates.Tests.Fixtures;

/// <summary>A request seen by <see cref="LoopbackHttpServer"/>.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, NameValueCollection Headers, string? Query);

/// <summary>A canned answer of <see cref="LoopbackHttpServer"/>.</summary>
public sealed record CannedResponse(int StatusCode, string Body, string ContentType = "application/json");

/// <summary>
/// HttpListener on 127.0.0.1 and a free port that records every request and answers with a handler's response.
/// Used both as a fake Prometheus (headers, retries) and as the metrics exporter a real Prometheus scrapes.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<RecordedRequest, CannedResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackHttpServer(Func<RecordedRequest, CannedResponse> handler)
    {
        _handler = handler;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            var request = new RecordedRequest(
                context.Request.HttpMethod,
                context.Request.Url!.PathAndQuery,
                new NameValueCollection(context.Request.Headers),
                context.Request.QueryString["query"]);
            Requests.Enqueue(request);
            var response = _handler(request);
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.StatusCode = response.StatusCode;
            context.Response.ContentType = response.ContentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <summary>A Prometheus instant-vector answer with one sample.</summary>
    public static CannedResponse Vector(string value) =>
        new(200, $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.0,"{{{value}}}"]}]}}""");
}
