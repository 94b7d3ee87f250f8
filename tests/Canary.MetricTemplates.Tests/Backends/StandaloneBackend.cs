using Canary.MetricTemplates.Providers;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// A <see cref="MetricBackendContext"/> without the factory, for backends built with their environment passed in
/// (AWS_* variables, GCE_METADATA_HOST) instead of read from the test process: no retries, the DI HTTP client factory.
/// </summary>
internal sealed class StandaloneBackend : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    public MetricBackendContext Context(TimeProvider time) =>
        new(_services.GetRequiredService<IHttpClientFactory>(), ResiliencePipeline<HttpResponseMessage>.Empty, 1024 * 1024, time);

    public static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    public void Dispose() => _services.Dispose();
}
