using System.Text;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Tests.Fixtures;
using Canary.Sandbox.Graphite;
using Canary.Testing.Http;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>One real Graphite (Debian's carbon-cache and graphite-web) for the tests of a class.</summary>
public sealed class GraphiteFixture : IAsyncLifetime
{
    public GraphiteRunner Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await GraphiteRunner.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The graphite backend against a real Graphite, fed through carbon's plaintext protocol.</summary>
public sealed class GraphiteProviderTests(GraphiteFixture graphite) : IClassFixture<GraphiteFixture>
{
    private static IMetricProvider Provider(TestServices services, Uri address, (string, string)[]? secret = null) =>
        services.Factory.Create(new MetricProviderSpec
        {
            Type = MetricProviderTypes.Graphite,
            Address = address.ToString(),
            Credentials = secret is null ? null : VendorSecrets.Of(secret),
        });

    [Fact]
    public async Task The_last_value_of_the_render_answer_is_the_result_and_no_datapoint_is_no_data()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await graphite.Server.WriteAsync($"t1.podinfo.requests 100 {now - 3}\nt1.podinfo.errors 4 {now - 3}\nt1.podinfo.requests 100 {now - 2}\nt1.podinfo.errors 6 {now - 2}\n");
        using var services = new TestServices();
        var provider = Provider(services, graphite.Server.Url);

        // Carbon takes the points asynchronously: wait (bounded) until graphite-web sees both of them.
        var rate = await UntilAsync(
            () => provider.RunQueryAsync(
                "target=asPercent(\n  summarize(t1.podinfo.errors, '1min', 'sum', true),\n  summarize(t1.podinfo.requests, '1min', 'sum', true))\n&from=-1min",
                CancellationToken.None),
            r => r.Value == 5);

        var none = await provider.RunQueryAsync("target=t1.absent.requests&from=-1min", CancellationToken.None);
        var bad = await provider.RunQueryAsync("target=nosuchfn(t1.podinfo.requests)", CancellationToken.None);

        Assert.Equal(5, rate.Value);
        Assert.Equal(MetricQueryStatus.NoData, none.Status);
        Assert.Equal(MetricQueryStatus.Error, bad.Status);
        Assert.Equal($"graphite {graphite.Server.Url.Authority} answered 400: Invalid parameters (Received request for unknown function: nosuchfn); targets: \"nosuchfn(t1.podinfo.requests)\"", bad.Detail);
        Assert.True((await provider.IsOnlineAsync(CancellationToken.None)).IsOnline);
    }

    [Fact]
    public async Task Basic_auth_comes_from_the_secret_and_never_shows_in_a_message()
    {
        await using var proxy = await LoopbackServer.StartAsync((request, _) => new ServerReply(401, $"no access for {request.Authorization}"));
        using var services = new TestServices();

        var result = await Provider(services, proxy.BaseAddress, [("username", "flagger"), ("password", "s3cret-pass")]).RunQueryAsync("target=x", CancellationToken.None);

        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("flagger:s3cret-pass"));
        Assert.Equal(basic, Assert.Single(proxy.Requests).Authorization);
        Assert.Equal("/render?target=x&format=json", Assert.Single(proxy.Requests).PathAndQuery);
        Assert.DoesNotContain("s3cret-pass", result.Detail, StringComparison.Ordinal);
        Assert.Equal("graphite credentials does not contain a password", Assert.Throws<MetricProviderException>(() => Provider(services, proxy.BaseAddress, [("username", "flagger")])).Message);
    }

    /// <remarks>
    /// The template of Flagger's docs does not run on Graphite 1.1 as printed, here or in Flagger: <c>{{interval}}</c>
    /// renders unquoted and Graphite's intervals are quoted strings without an <c>m</c> unit (<c>'60s'</c>, <c>'1min'</c>).
    /// As printed it fails the check with Graphite's 500 (never a pass); with the interval quoted and in seconds, it works.
    /// </remarks>
    [Fact]
    public async Task Flaggers_documented_template_works_with_only_the_api_version_changed()
    {
        // A Spring Boot app's Micrometer timers through StatsD, as the template of Flagger's docs reads them: 3 errors in 100.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string Prefix = "stats.timers.httpServerRequests.app.podinfo.exception.None.method.GET";
        await graphite.Server.WriteAsync(
            $"{Prefix}.outcome.SUCCESS.status.200.uri.root.count 97 {now - 2}\n" +
            $"{Prefix}.outcome.SERVER_ERROR.status.500.uri.root.count 3 {now - 2}\n");
        using var services = new TestServices();
        var template = FlaggerTemplates.Load(FlaggerDocsTemplate, graphite.Server.Url);
        template.Metadata.NamespaceProperty = "test";

        var printed = template.Spec.Query!;
        template.Spec.Query = printed.Replace("{{interval}}", "'{{interval}}'", StringComparison.Ordinal);
        var quoted = await UntilAsync(() => FlaggerTemplates.CheckAsync(services, template, VendorSecrets.Of(), "success rate", min: 90, interval: "60s"), r => r.Value == 97);

        // Only once the series exist: over no series at all Graphite never evaluates the interval and answers no data.
        template.Spec.Query = printed;
        var asPrinted = await FlaggerTemplates.CheckAsync(services, template, VendorSecrets.Of(), "success rate", min: 90, interval: "1m");

        Assert.False(asPrinted.Passed);
        Assert.Contains("answered 500", asPrinted.Message, StringComparison.Ordinal);
        Assert.True(quoted.Passed, quoted.Message);
        Assert.Equal(97, quoted.Value);
    }

    // Polls until the answer is as expected or 20 s passed (then the last answer is asserted on).
    private static async Task<T> UntilAsync<T>(Func<Task<T>> attempt, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var last = await attempt();
        while (!done(last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            last = await attempt();
        }

        return last;
    }

    // docs/gitbook/usage/metrics.md, "Graphite" (Flagger 1.44).
    private const string FlaggerDocsTemplate = """
        apiVersion: flagger.app/v1beta1
        kind: MetricTemplate
        metadata:
          name: graphite-request-success-rate
        spec:
          provider:
            type: graphite
            address: http://graphite.monitoring
          query: |
            target=summarize(
              asPercent(
                sumSeries(
                  stats.timers.httpServerRequests.app.{{target}}.exception.*.method.*.outcome.{CLIENT_ERROR,INFORMATIONAL,REDIRECTION,SUCCESS}.status.*.uri.*.count
                ),
                sumSeries(
                  stats.timers.httpServerRequests.app.{{target}}.exception.*.method.*.outcome.*.status.*.uri.*.count
                )
              ),
              {{interval}},
              'avg'
            )
        """;
}
