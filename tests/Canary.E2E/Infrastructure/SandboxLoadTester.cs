using Canary.Api.V1Beta1;
using Canary.LoadTester.Hosting;
using Canary.Sandbox.Traffic;
using Microsoft.AspNetCore.Builder;

namespace Canary.E2E.Infrastructure;

/// <summary>canary-loadtester (hey natively, curl allowed) reaching the sandbox's Services through the Service proxy.</summary>
public sealed class SandboxLoadTester : IAsyncDisposable
{
    private readonly ServiceProxy _proxy;
    private readonly WebApplication _host;

    private SandboxLoadTester(ServiceProxy proxy, WebApplication host)
    {
        _proxy = proxy;
        _host = host;
    }

    /// <summary>The Service proxy, for commands that take one (curl -x).</summary>
    public Uri Proxy => _proxy.Url;

    private Uri Url => new(_host.Urls.Single());

    public static async Task<SandboxLoadTester> StartAsync(E2EEnvironment env)
    {
        var proxy = await ServiceProxy.StartAsync(env.Traffic);
        var host = LoadTesterHost.Build(new LoadTesterOptions
        {
            Port = 0,
            LoopbackOnly = true,
            Proxy = proxy.Url,
            JsonLogs = false,
            AllowCommands = new HashSet<string>(["curl"], StringComparer.Ordinal),
        });
        await host.StartAsync();
        return new SandboxLoadTester(proxy, host);
    }

    /// <summary>A webhook of <paramref name="type"/> that has the tester run <paramref name="cmd"/> (Flagger's loadtester metadata).</summary>
    public CanaryWebhook Hook(string name, string type, string cmd) => new()
    {
        Name = name,
        Type = type,
        Url = Url.ToString(),
        Timeout = "15s",
        Metadata = new Dictionary<string, string> { ["cmd"] = cmd },
    };

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _proxy.DisposeAsync();
    }
}
