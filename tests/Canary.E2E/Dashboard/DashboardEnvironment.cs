using System.Net;
using System.Net.Sockets;
using Canary.E2E.Infrastructure;
using Microsoft.Playwright;

namespace Canary.E2E.Dashboard;

/// <summary>
/// A Gateway API environment whose controller serves the web dashboard (<c>--dashboard-port</c>) with its buttons
/// (<c>--dashboard-controls</c>), as its ServiceAccount on the RBAC-enforcing sandbox.
/// </summary>
public sealed class DashboardEnvironment : E2EEnvironment
{
    public DashboardEnvironment()
        : this(FreePort())
    {
    }

    private DashboardEnvironment(int port)
        : base(new E2EEnvironmentOptions
        {
            MeshProvider = GatewayApiEnvironment.Provider,
            ConfigureController = o => o with { DashboardPort = port, DashboardControls = true },
        }) => Url = new Uri($"http://127.0.0.1:{port}/");

    /// <summary>The dashboard's address.</summary>
    public Uri Url { get; }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Debian's chromium, headless, driven by Playwright (its own browser download is not used: scripts/setup.sh installs
/// the chromium package). One browser per collection; each test opens its own context.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: run scripts/setup.sh (it installs Debian's chromium)");
        }

        // Waits on the page (Expect, locators) get the same generous bound as the waits on the cluster.
        Assertions.SetDefaultExpectTimeout((float)Wait.DefaultTimeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The dashboard in a real browser: its own environment and browser, in parallel with the other collections.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardScenarios : ICollectionFixture<DashboardEnvironment>, ICollectionFixture<Chromium>
{
    public const string Name = "dashboard";
}
