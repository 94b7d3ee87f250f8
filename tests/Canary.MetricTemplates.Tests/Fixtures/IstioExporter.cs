using System.Globalization;
using System.Text;

namespace Canary.MetricTemplates.Tests.Fixtures;

/// <summary>
/// Serves Istio-style counters for test/podinfo that grow on every scrape: 95 requests answered 200 and 5 answered 500,
/// and a latency histogram with 90 requests at or under 50 ms and 10 between 50 and 100 ms. Rates are therefore
/// stable: success rate 95 %, p99 latency 95 ms.
/// </summary>
public sealed class IstioExporter : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private long _scrapes;

    public IstioExporter() => _server = new LoopbackHttpServer(_ => new CannedResponse(200, Render(), "text/plain; version=0.0.4"));

    public string Target => $"127.0.0.1:{_server.Port}";

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private string Render()
    {
        var n = Interlocked.Increment(ref _scrapes);
        const string labels = "reporter=\"destination\",destination_workload_namespace=\"test\",destination_workload=\"podinfo\"";
        var text = new StringBuilder()
            .AppendLine("# TYPE istio_requests_total counter")
            .AppendLine(CultureInfo.InvariantCulture, $"istio_requests_total{{{labels},response_code=\"200\"}} {95 * n}")
            .AppendLine(CultureInfo.InvariantCulture, $"istio_requests_total{{{labels},response_code=\"500\"}} {5 * n}")
            .AppendLine("# TYPE istio_request_duration_milliseconds histogram")
            .AppendLine(CultureInfo.InvariantCulture, $"istio_request_duration_milliseconds_bucket{{{labels},le=\"50\"}} {90 * n}")
            .AppendLine(CultureInfo.InvariantCulture, $"istio_request_duration_milliseconds_bucket{{{labels},le=\"100\"}} {100 * n}")
            .AppendLine(CultureInfo.InvariantCulture, $"istio_request_duration_milliseconds_bucket{{{labels},le=\"+Inf\"}} {100 * n}")
            .AppendLine(CultureInfo.InvariantCulture, $"istio_request_duration_milliseconds_sum{{{labels}}} {5000 * n}")
            .AppendLine(CultureInfo.InvariantCulture, $"istio_request_duration_milliseconds_count{{{labels}}} {100 * n}");
        return text.ToString();
    }
}
