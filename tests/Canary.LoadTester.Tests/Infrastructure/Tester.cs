using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Canary.LoadTester.Hosting;
using Canary.LoadTester.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Canary.LoadTester.Tests.Infrastructure;

/// <summary>The real tester host (Kestrel on 127.0.0.1 and a free port) and a client for it.</summary>
internal sealed class Tester : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Tester(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public TaskRunner Runner => _app.Services.GetRequiredService<TaskRunner>();

    public static async Task<Tester> StartAsync(LoadTesterOptions? options = null, Action<IServiceCollection>? configure = null)
    {
        var app = LoadTesterHost.Build((options ?? new LoadTesterOptions()) with { Port = 0, LoopbackOnly = true }, services =>
        {
            services.RemoveAll<ILoggerProvider>();
            configure?.Invoke(services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Tester(app, new Uri(address));
    }

    /// <summary>A Flagger webhook payload for podinfo.test (or the given canary) with <paramref name="metadata"/>.</summary>
    public static string Payload(IReadOnlyDictionary<string, string>? metadata, string name = "podinfo", string ns = "test") =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["phase"] = "Progressing",
            ["checksum"] = "85d557f47b",
            ["metadata"] = metadata,
        });

    public async Task<(int Status, string Body)> PostAsync(string path, string body, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, string Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
