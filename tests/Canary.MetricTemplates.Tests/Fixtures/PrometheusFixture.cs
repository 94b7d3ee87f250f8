namespace Canary.MetricTemplates.Tests.Fixtures;

/// <summary>One Prometheus scraping an <see cref="IstioExporter"/>, started once per test collection, ready with at least a rate's worth of samples.</summary>
public sealed class PrometheusFixture : IAsyncLifetime, IAsyncDisposable
{
    public const string Collection = "prometheus";

    private IstioExporter? _exporter;
    private PrometheusServer? _server;

    public Uri Address => _server?.Address ?? throw new InvalidOperationException("fixture not started");

    public async Task InitializeAsync()
    {
        _exporter = new IstioExporter();
        _server = await PrometheusServer.StartAsync([_exporter.Target]);

        // rate() needs two samples in the window; wait for them rather than sleeping a fixed time.
        await _server.WaitForDataAsync("rate(istio_requests_total[1m])", TimeSpan.FromSeconds(60));
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_exporter is not null)
        {
            await _exporter.DisposeAsync();
        }
    }
}

/// <summary>Tests sharing one <see cref="PrometheusFixture"/>.</summary>
[CollectionDefinition(PrometheusFixture.Collection)]
public sealed class PrometheusTestGroup : ICollectionFixture<PrometheusFixture>
{
}
