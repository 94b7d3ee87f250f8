using System.Collections.Concurrent;
using Canary.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Canary.E2E.Dashboard;

/// <summary>
/// One dashboard page in its own browser context at 1280x800: every request it makes (to tell pushes from polling),
/// its console errors and uncaught exceptions (a Content-Security-Policy violation is logged as one), and screenshots under
/// <c>artifacts/dashboard/</c> at the repository root. On dispose it prints what it saw to the test output.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ITestOutputHelper _output;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _problems = new();

    private DashboardPage(IBrowserContext context, IPage page, ITestOutputHelper output)
    {
        _context = context;
        _output = output;
        Page = page;
        page.Request += (_, request) => _requests.Enqueue($"{request.Method} {new Uri(request.Url).PathAndQuery}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _problems.Enqueue($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _problems.Enqueue("uncaught: " + error);
    }

    public IPage Page { get; }

    /// <summary>Folder of the screenshots: artifacts/dashboard at the repository root.</summary>
    public static string ArtifactsFolder => Path.Combine(Crds.RepositoryRoot(), "artifacts", "dashboard");

    /// <summary>Console errors (a blocked script or style, a failed request) and uncaught exceptions, so far.</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    /// <summary>Opens <paramref name="path"/> of the environment's dashboard in a new context of <paramref name="chromium"/>.</summary>
    public static async Task<DashboardPage> OpenAsync(Chromium chromium, DashboardEnvironment env, string path, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(chromium);
        ArgumentNullException.ThrowIfNull(env);
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = env.Url.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Wait.DefaultTimeout.TotalMilliseconds);
        var opened = new DashboardPage(context, page, output);
        await page.GotoAsync(path);
        return opened;
    }

    /// <summary>GET requests the page made to exactly <paramref name="pathAndQuery"/>.</summary>
    public int Gets(string pathAndQuery) => _requests.Count(r => r == "GET " + pathAndQuery);

    /// <summary>Requests the page made whose path starts with <paramref name="prefix"/> ("GET /api/...").</summary>
    public IReadOnlyList<string> Requests(string prefix) => [.. _requests.Where(r => r.Split(' ')[1].StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>
    /// The page's own counters (data-* of &lt;body&gt;), read at one instant: hellos (stream connections), pushes
    /// (changes of what it shows), fetches (JSON reads).
    /// </summary>
    public async Task<(int Hellos, int Pushes, int Fetches)> CountersAsync()
    {
        var counters = await Page.EvaluateAsync<int[]>("() => ['hellos', 'pushes', 'fetches'].map(n => Number(document.body.dataset[n] || 0))");
        return (counters[0], counters[1], counters[2]);
    }

    /// <summary>Waits until the page has drawn what the API returned at least once.</summary>
    public async Task RenderedAsync() =>
        await Page.WaitForFunctionAsync("() => Number(document.body.dataset.renders || 0) > 0");

    /// <summary>A full-page screenshot in <see cref="ArtifactsFolder"/>.</summary>
    public async Task ScreenshotAsync(string file)
    {
        Directory.CreateDirectory(ArtifactsFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsFolder, file), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        _output.WriteLine($"--- dashboard page {Page.Url}");
        foreach (var request in _requests)
        {
            _output.WriteLine("  " + request);
        }

        foreach (var problem in _problems)
        {
            _output.WriteLine("  " + problem);
        }

        await _context.CloseAsync();
    }
}
