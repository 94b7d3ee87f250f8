using Canary.Api.Http;
using Canary.MetricTemplates.Analysis;
using Canary.MetricTemplates.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.MetricTemplates.Tests.Fixtures;

/// <summary>The library wired through its DI extension, with fast retries for tests.</summary>
public sealed class TestServices : IDisposable
{
    private readonly ServiceProvider _provider;

    public TestServices(Action<MetricsAnalyzerOptions>? configure = null, Action<OutboundHttpOptions>? outbound = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        _provider = services
            .Configure(outbound ?? (_ => { }))
            .AddCanaryMetricTemplates(o =>
            {
                o.Prometheus.RetryDelay = TimeSpan.FromMilliseconds(10);
                o.Prometheus.AttemptTimeout = TimeSpan.FromSeconds(2);
                configure?.Invoke(o);
            })
            .BuildServiceProvider();
    }

    public IMetricProviderFactory Factory => _provider.GetRequiredService<IMetricProviderFactory>();

    public MetricsAnalyzer Analyzer => _provider.GetRequiredService<MetricsAnalyzer>();

    public IMetricProvider Prometheus(string address, IReadOnlyDictionary<string, byte[]>? credentials = null, bool insecureSkipVerify = false) =>
        Factory.Create(new MetricProviderSpec { Address = address, Credentials = credentials, InsecureSkipVerify = insecureSkipVerify });

    public void Dispose() => _provider.Dispose();
}
