using System.Collections.Concurrent;
using Canary.MetricTemplates.Analysis;
using Canary.MetricTemplates.Providers;
using Microsoft.Extensions.Options;

namespace Canary.MetricTemplates.Tests.Fixtures;

/// <summary>Answers queries from a function and records (provider spec, query) pairs.</summary>
public sealed class FakeMetricProviderFactory(Func<MetricProviderSpec, string, MetricQueryResult> answer) : IMetricProviderFactory
{
    private readonly MetricProviderFactory _real = new(new NoHttpClientFactory(), Options.Create(new MetricsAnalyzerOptions()), TimeProvider.System);

    public ConcurrentQueue<(MetricProviderSpec Spec, string Query)> Calls { get; } = new();

    private MetricQueryResult Answer(MetricProviderSpec spec, string query) => answer(spec, query);

    public IMetricProvider Create(MetricProviderSpec spec)
    {
        // Same validation (type, address, credentials) as the real factory, without any I/O.
        _real.Create(spec);
        return new FakeProvider(this, spec);
    }

    private sealed class FakeProvider(FakeMetricProviderFactory owner, MetricProviderSpec spec) : IMetricProvider
    {
        public string Type => spec.EffectiveType;

        public async Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken)
        {
            await Task.Yield();
            owner.Calls.Enqueue((spec, query));
            return owner.Answer(spec, query);
        }

        public Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken) =>
            Task.FromResult(MetricProviderHealth.Online);
    }

    private sealed class NoHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
