using System.Net;
using Canary.Sandbox.ApiServer.Accounting;
using Canary.Sandbox.ApiServer.Faults;
using Canary.Sandbox.ApiServer.Http;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Sandbox.ApiServer;

/// <summary>
/// The emulated Kubernetes API server: Kestrel on 127.0.0.1 over plain HTTP in front of an <see cref="ObjectStore"/>.
/// Start it with <see cref="StartAsync"/>; reach it with <see cref="CreateClient"/>, <see cref="ClientConfiguration"/>
/// or a kubeconfig from <see cref="WriteKubeconfig"/>; drive faults through <see cref="Faults"/> and read
/// <see cref="Counters"/>. Simulators in the same process use <see cref="Store"/> directly.
/// </summary>
public sealed class SandboxApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxApiServer(WebApplication app, ObjectStore store, FaultInjector faults, RequestCounters counters, Uri baseUrl)
    {
        _app = app;
        Store = store;
        Faults = faults;
        Counters = counters;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseUrl { get; }

    public int Port => BaseUrl.Port;

    /// <summary>The objects, with the same semantics as the HTTP API.</summary>
    public ObjectStore Store { get; }

    public ResourceRegistry Registry => Store.Registry;

    /// <summary>Error rates, latency and watch drops applied to HTTP resource requests.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Requests answered, per verb, resource and status code.</summary>
    public RequestCounters Counters { get; }

    /// <summary>Starts a server; the returned instance is listening.</summary>
    public static async Task<SandboxApiServer> StartAsync(SandboxApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxApiServerOptions();
        var store = new ObjectStore(new ResourceRegistry(), options.TimeProvider, options.HistorySize) { BookmarkInterval = options.BookmarkInterval };
        var faults = new FaultInjector(options.FaultSeed);
        var counters = new RequestCounters();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(SandboxApiServer).Assembly.GetName().Name });
        if (!options.EnableLogging)
        {
            builder.Logging.ClearProviders();
        }

        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        Uri? address = null;
        var handler = new ApiHandler(store, faults, counters, () => address!.Authority);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        address = new Uri(new Uri(bound).GetLeftPart(UriPartial.Authority) + "/");
        return new SandboxApiServer(app, store, faults, counters, address);
    }

    /// <summary>A client configuration for KubernetesClient pointing at this server.</summary>
    public KubernetesClientConfiguration ClientConfiguration() => new() { Host = BaseUrl.GetLeftPart(UriPartial.Authority), Namespace = "default" };

    /// <summary>A new KubernetesClient for this server (dispose it).</summary>
    public IKubernetes CreateClient() => new k8s.Kubernetes(ClientConfiguration());

    /// <summary>Writes a kubeconfig for kubectl and returns its full path.</summary>
    public string WriteKubeconfig(string path, string defaultNamespace = "default") => KubeconfigWriter.Write(BaseUrl, path, defaultNamespace);

    /// <summary>Stops listening; open watches are ended.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
