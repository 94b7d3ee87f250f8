using System.Globalization;
using System.Text.Json;
using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.ApiServer.Resources;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Canary.E2E.Dashboard;

/// <summary>
/// The controller's web dashboard in Debian's headless chromium, against the real controller (its ServiceAccount, RBAC
/// enforced): the overview and its namespace filter, a release drawn step by step from Server-Sent Events alone, a
/// rollback and its reason, and a button that asks for confirmation and creates a CanaryRequest. Every wait is on the
/// page's content (Playwright's auto-waiting) or on the Canary's status, never on elapsed time.
/// </summary>
[Collection(DashboardScenarios.Name)]
public sealed class DashboardTests(DashboardEnvironment env, Chromium chromium, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;
    private static readonly GroupVersionResource Requests = new("canary.dev", "v1beta1", "canaryrequests");

    private static CanaryAnalysis Analysis(int threshold = 5) => new()
    {
        Interval = "2s",
        Threshold = threshold,
        StepWeight = 10,
        MaxWeight = 50,
        Metrics = [Podinfo.SuccessRate()],
    };

    private static string PagePath(CanaryScenario s) => $"/canaries/{s.Namespace}/{s.Name}";

    private static ILocator Phase(DashboardPage page) => page.Page.Locator("#phase [data-phase]");

    // The chart's point per timeline entry of the analysis, and its check marks.
    private static ILocator ProgressingPoints(DashboardPage page) => page.Page.Locator("svg.weight-chart circle.point[data-phase='Progressing']");

    private static ILocator Marks(DashboardPage page, string? verdict = null) =>
        page.Page.Locator(verdict is null ? "svg.weight-chart .check" : $"svg.weight-chart .check.{verdict.ToLowerInvariant()}");

    private static async Task<int[]> WeightsAsync(ILocator points) =>
        await points.EvaluateAllAsync<int[]>("points => points.map(p => Number(p.dataset.weight))");

    private static async Task<CanaryScenario> InitializedAsync(DashboardEnvironment env, string prefix, ITestOutputHelper output, int threshold = 5)
    {
        var s = await CanaryScenario.StartAsync(env, prefix, Provider, output);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(Analysis(threshold));
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        return s;
    }

    [Fact]
    public async Task Overview_lists_each_canary_and_the_namespace_filter_narrows_the_list_and_the_url()
    {
        await using var a = await InitializedAsync(env, "dash-list-a", output);
        await using var b = await InitializedAsync(env, "dash-list-b", output);
        await using var page = await DashboardPage.OpenAsync(chromium, env, "/", output);
        var rows = page.Page.Locator("#canaries tbody tr");
        var rowA = page.Page.Locator($"#canaries tr[data-canary='{a.Namespace}/podinfo']");
        var rowB = page.Page.Locator($"#canaries tr[data-canary='{b.Namespace}/podinfo']");
        await Expect(rowA).ToContainTextAsync("Initialized");
        await Expect(rowB).ToContainTextAsync("Initialized");
        await Expect(rowA.GetByRole(AriaRole.Link, new() { Name = "podinfo" })).ToHaveAttributeAsync("href", $"/canaries/{a.Namespace}/podinfo");
        await Expect(page.Page.Locator("#namespace option")).ToContainTextAsync([a.Namespace, b.Namespace]);
        await page.ScreenshotAsync("overview.png");

        // The filter narrows the list and is kept in the URL; Back widens it again.
        await page.Page.Locator("#namespace").SelectOptionAsync(a.Namespace);
        await Expect(page.Page).ToHaveURLAsync($"{env.Url}?namespace={a.Namespace}");
        await Expect(rowB).ToHaveCountAsync(0);
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rowA).ToBeVisibleAsync();
        await page.Page.GoBackAsync();
        await Expect(page.Page).ToHaveURLAsync(env.Url.ToString());
        await Expect(rowB).ToBeVisibleAsync();
        await Expect(rowA).ToBeVisibleAsync();

        // The URL alone selects the namespace (a shared link, a reload).
        await page.Page.GotoAsync($"/?namespace={b.Namespace}");
        await Expect(page.Page.Locator("#namespace")).ToHaveValueAsync(b.Namespace);
        await Expect(rowB).ToBeVisibleAsync();
        await Expect(rows).ToHaveCountAsync(1);

        // A row leads to its Canary's page.
        await rowB.GetByRole(AriaRole.Link, new() { Name = "podinfo" }).ClickAsync();
        await Expect(page.Page).ToHaveURLAsync($"{env.Url}canaries/{b.Namespace}/podinfo");
        await Expect(page.Page.Locator("#canary-title")).ToHaveTextAsync("podinfo");
        await Expect(Phase(page)).ToHaveAttributeAsync("data-phase", "Initialized");
        await Expect(page.Page.Locator("#workloads [data-workload='primary']")).ToContainTextAsync(Podinfo.Image);
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task The_weight_chart_grows_with_each_step_on_pushes_alone_and_marks_every_check()
    {
        await using var s = await InitializedAsync(env, "dash-grow", output);
        await using var page = await DashboardPage.OpenAsync(chromium, env, PagePath(s), output);
        await Expect(Phase(page)).ToHaveAttributeAsync("data-phase", "Initialized");

        // The page stays open while the release runs: each step shows up on the chart, in order.
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        var points = ProgressingPoints(page);
        int[] steps = [0, 10, 20, 30, 40, 50];
        foreach (var weight in steps)
        {
            await Expect(points.And(page.Page.Locator($"[data-weight='{weight}']"))).ToHaveCountAsync(1);
            var drawn = await WeightsAsync(points);
            Assert.Equal(steps.Take(drawn.Length), drawn);
        }

        await Expect(Phase(page)).ToHaveAttributeAsync("data-phase", "Succeeded");
        Assert.Equal(steps, await WeightsAsync(points));
        Assert.Equal(steps, s.Observer.StatusWeights(CanaryPhase.Progressing));

        // Every check of the release is marked at its weight, with its verdict (and listed in the table).
        var checks = s.Canary()!.Status!.Checks!;
        Assert.Contains(checks, c => c.Verdict == CheckVerdicts.Pass);
        await Expect(Marks(page)).ToHaveCountAsync(checks.Count);
        await Expect(Marks(page, CheckVerdicts.Pass)).ToHaveCountAsync(checks.Count(c => c.Verdict == CheckVerdicts.Pass));
        var marked = await Marks(page).EvaluateAllAsync<string[]>("marks => marks.map(m => `${m.dataset.metric}@${m.dataset.weight}:${m.dataset.verdict}`)");
        Assert.Equal(checks.Select(c => $"{c.Metric}@{c.Weight}:{c.Verdict}"), marked);
        await Expect(page.Page.Locator("#checks tbody tr")).ToHaveCountAsync(checks.Count);
        await Expect(page.Page.Locator("#workloads [data-workload='primary']")).ToContainTextAsync(Podinfo.NewImage);
        await page.ScreenshotAsync("canary.png");

        // Only pushes made it read again: one stream, one read on its hello, then at most one read per pushed change
        // (changes pushed during a read are folded into one more read); never a timer. The reads the browser was seen
        // to make are counted first: the page's own count can only be higher by then.
        var reads = page.Gets($"/api/canaries/{s.Namespace}/podinfo");
        var (hellos, pushes, fetches) = await page.CountersAsync();
        output.WriteLine($"stream connections {page.Gets("/api/stream")}, hellos {hellos}, pushes {pushes}, reads seen {reads}, reads counted {fetches}");
        Assert.Equal(1, page.Gets("/api/stream"));
        Assert.Equal(1, hellos);
        Assert.InRange(reads, 2, fetches);
        Assert.InRange(fetches, reads, hellos + pushes);
        Assert.Equal(1, page.Gets(PagePath(s)));
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task A_bad_release_is_rolled_back_and_the_page_shows_failed_and_why()
    {
        await using var s = await InitializedAsync(env, "dash-rollback", output, threshold: 2);
        await using var page = await DashboardPage.OpenAsync(chromium, env, PagePath(s), output);
        await page.RenderedAsync();

        // Half of the new version's answers are 500s.
        await s.EditTemplateAsync(image: Podinfo.NewImage, annotations: Podinfo.ErrorRate(0.5));
        await Expect(Phase(page)).ToHaveAttributeAsync("data-phase", "Failed");

        var target = $"podinfo.{s.Namespace}";
        var events = await s.EventsAsync();
        var rollingBack = events.Last(e => e.Type == "Warning" && e.Message?.StartsWith("Rolling back ", StringComparison.Ordinal) == true).Message!;
        Assert.StartsWith($"Rolling back {target} ", rollingBack, StringComparison.Ordinal);
        var banner = page.Page.Locator("#banner");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToHaveAttributeAsync("role", "alert");
        await Expect(banner).ToContainTextAsync("Rolled back");
        await Expect(page.Page.Locator("#failure-reason")).ToHaveTextAsync(rollingBack);

        // The failed checks are marked, the traffic went back to 0, the warnings stand out, and only retry is offered.
        var checks = s.Canary()!.Status!.Checks!;
        Assert.Contains(checks, c => c.Verdict == CheckVerdicts.Fail);
        await Expect(Marks(page, CheckVerdicts.Fail)).ToHaveCountAsync(checks.Count(c => c.Verdict == CheckVerdicts.Fail));
        await Expect(page.Page.Locator("#checks tbody tr[data-verdict='Fail']").First).ToContainTextAsync("Fail");
        var last = page.Page.Locator("svg.weight-chart circle.point").Last;
        await Expect(last).ToHaveAttributeAsync("data-phase", "Failed");
        await Expect(last).ToHaveAttributeAsync("data-weight", "0");
        await Expect(page.Page.Locator("#events tr.warning", new() { HasText = rollingBack })).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#events tr.warning", new() { HasText = $"Canary failed! Scaling down {target}" })).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#events tr.warning").First).ToContainTextAsync("Warning");
        await Expect(page.Page.Locator("#buttons [data-action='retry']")).ToBeEnabledAsync();
        await Expect(page.Page.Locator("#buttons [data-action='abort']")).ToBeDisabledAsync();
        await Expect(page.Page.Locator("#buttons [data-action='promote']")).ToBeDisabledAsync();
        await page.ScreenshotAsync("rolled-back.png");
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task Pause_asks_for_confirmation_then_holds_the_weight_and_resume_advances_to_promotion()
    {
        await using var s = await InitializedAsync(env, "dash-pause", output);
        await using var page = await DashboardPage.OpenAsync(chromium, env, PagePath(s), output);
        await page.RenderedAsync();
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        var points = ProgressingPoints(page);
        await Expect(points.And(page.Page.Locator("[data-weight='10']"))).ToHaveCountAsync(1);

        var pause = page.Page.Locator("#buttons [data-action='pause']");
        var resume = page.Page.Locator("#buttons [data-action='resume']");
        var dialog = page.Page.Locator("#confirm");
        var answer = page.Page.Locator("#answer");
        var posts = $"/api/canaries/{s.Namespace}/podinfo/requests";

        // Cancel asks nothing.
        await Expect(resume).ToBeDisabledAsync();
        await pause.ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(page.Page.Locator("#confirm-title")).ToHaveTextAsync($"Pause {s.Namespace}/podinfo?");
        await page.Page.Locator("#confirm-cancel").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        Assert.Empty(page.Requests(posts));

        // Confirmed with a reason: a CanaryRequest created by the dashboard, accepted by the controller.
        await pause.ClickAsync();
        await page.Page.Locator("#confirm-reason").FillAsync("schema migration");
        await page.Page.Locator("#confirm-ok").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(answer).ToHaveAttributeAsync("data-result", CanaryControls.Accepted);
        Assert.Equal(new[] { "POST " + posts }, page.Requests(posts));
        var name = (await answer.GetAttributeAsync("data-request"))!;
        var request = env.TryGet(Requests, s.Namespace, name)!.Deserialize<CanaryRequest>(CanaryJson.Options)!;
        Assert.Equal((CanaryControls.Pause, "schema migration", "canary-dashboard"), (request.Spec.Action, request.Spec.Reason, request.Metadata.Labels["app.kubernetes.io/created-by"]));

        var status = s.Canary()!.Status!;
        var control = Assert.Single(status.Controls!);
        var held = status.CanaryWeight!.Value;
        Assert.Equal((name, CanaryControls.Accepted, $"holding at weight {held} until resumed"), (control.Request, control.Result, control.Message));
        await Expect(answer).ToHaveTextAsync($"Pause accepted: holding at weight {held} until resumed ({name})");
        await Expect(page.Page.Locator($"#controls tr[data-request='{name}'][data-result='Accepted']")).ToContainTextAsync("schema migration");
        await Expect(page.Page.Locator($"svg.weight-chart .control[data-action='pause'][data-request='{name}']")).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("#events tr", new() { HasText = $"pause requested by {name} (reason: schema migration) accepted: holding at weight {held} until resumed" }))
            .ToHaveCountAsync(1);

        // Checks keep coming while paused (marked on the chart), and the weight holds.
        var since = new DateTimeOffset(DateTime.SpecifyKind(control.HandledTime!.Value, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        await page.Page.WaitForFunctionAsync(
            "since => [...document.querySelectorAll('svg.weight-chart .check')].filter(c => Date.parse(c.dataset.time) > since).length >= 2", since);
        await Expect(page.Page.Locator("#phase [data-paused]")).ToHaveTextAsync("(paused)");
        await Expect(page.Page.Locator("#progress [data-weight]")).ToHaveAttributeAsync("data-weight", held.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Page.Locator("#notice")).ToContainTextAsync($"holding at weight {held} until resumed");
        Assert.Equal(held, (await WeightsAsync(points)).Max());
        Assert.Equal((true, held), (s.Canary()!.Status!.Paused == true, s.Canary()!.Status!.CanaryWeight));
        await Expect(pause).ToBeDisabledAsync();
        await Expect(resume).ToBeEnabledAsync();
        await page.ScreenshotAsync("paused.png");

        // Resume (no reason): the release advances from the held weight to its promotion.
        await resume.ClickAsync();
        await Expect(page.Page.Locator("#confirm-title")).ToHaveTextAsync($"Resume {s.Namespace}/podinfo?");
        await page.Page.Locator("#confirm-ok").ClickAsync();
        await Expect(answer).ToContainTextAsync("Resume accepted");
        await Expect(page.Page.Locator("svg.weight-chart .control[data-action='resume']")).ToHaveCountAsync(1);
        await Expect(Phase(page)).ToHaveAttributeAsync("data-phase", "Succeeded");
        Assert.Equal(new[] { 0, 10, 20, 30, 40, 50 }, await WeightsAsync(points));
        Assert.Equal(2, page.Requests(posts).Count);
        Assert.Empty(page.Problems);
    }
}
