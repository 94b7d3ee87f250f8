using System.Net;
using System.Security.Cryptography.X509Certificates;
using Canary.Sandbox.ApiServer.Accounting;
using Canary.Sandbox.ApiServer.Auth;
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

    private SandboxApiServer(WebApplication app, ObjectStore store, FaultInjector faults, RequestCounters counters, RbacEnforcement rbac, Uri baseUrl, X509Certificate2? certificate)
    {
        Rbac = rbac;
        Certificate = certificate;
        _app = app;
        Store = store;
        Faults = faults;
        Counters = counters;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:PORT/, or https:// when RBAC is enforced (tokens travel only over TLS).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The self-signed serving certificate when the server speaks HTTPS, else null.</summary>
    public X509Certificate2? Certificate { get; }

    public int Port => BaseUrl.Port;

    /// <summary>The objects, with the same semantics as the HTTP API.</summary>
    public ObjectStore Store { get; }

    public ResourceRegistry Registry => Store.Registry;

    /// <summary>Error rates, latency and watch drops applied to HTTP resource requests.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Tokens, authorization and the record of rules used (enforced only with <see cref="SandboxApiServerOptions.EnforceRbac"/>).</summary>
    public RbacEnforcement Rbac { get; }

    /// <summary>Requests answered, per verb, resource and status code.</summary>
    public RequestCounters Counters { get; }

    /// <summary>Starts a server; the returned instance is listening.</summary>
    public static async Task<SandboxApiServer> StartAsync(SandboxApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxApiServerOptions();
        var store = new ObjectStore(new ResourceRegistry(), options.TimeProvider, options.HistorySize) { BookmarkInterval = options.BookmarkInterval };
        var faults = new FaultInjector(options.FaultSeed);
        var counters = new RequestCounters();
        var rbac = new RbacEnforcement(store, options.EnforceRbac);
        var certificate = options.EnforceRbac ? ServingCertificate.Create() : null;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(SandboxApiServer).Assembly.GetName().Name });
        if (!options.EnableLogging)
        {
            builder.Logging.ClearProviders();
        }

        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        Uri? address = null;
        var handler = new ApiHandler(store, faults, counters, rbac, () => address!.Authority);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        address = new Uri(new Uri(bound).GetLeftPart(UriPartial.Authority) + "/");
        return new SandboxApiServer(app, store, faults, counters, rbac, address, certificate);
    }

    /// <summary>A client configuration for KubernetesClient pointing at this server, as the admin unless <paramref name="token"/> says otherwise.</summary>
    public KubernetesClientConfiguration ClientConfiguration(string token = ServiceAccountTokens.AdminToken) => new()
    {
        Host = BaseUrl.GetLeftPart(UriPartial.Authority),
        Namespace = "default",
        AccessToken = token,
        SslCaCerts = Certificate is null ? null : new X509Certificate2Collection(Certificate),
    };

    /// <summary>A new KubernetesClient for this server (dispose it), as the admin unless <paramref name="token"/> says otherwise.</summary>
    public IKubernetes CreateClient(string token = ServiceAccountTokens.AdminToken) => new k8s.Kubernetes(ClientConfiguration(token));

    /// <summary>Writes a kubeconfig for kubectl and returns its full path; the admin's unless <paramref name="token"/> says otherwise.</summary>
    public string WriteKubeconfig(string path, string defaultNamespace = "default", string token = ServiceAccountTokens.AdminToken) =>
        KubeconfigWriter.Write(BaseUrl, path, defaultNamespace, token, Certificate is null ? null : ServingCertificate.ToPem(Certificate));

    /// <summary>Stops listening; open watches are ended.</summary>
    public async ValueTask DisposeAsync()
    {
        Certificate?.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
