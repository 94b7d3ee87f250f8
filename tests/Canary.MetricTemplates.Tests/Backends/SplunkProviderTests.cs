using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Providers.Backends;
using Canary.MetricTemplates.Tests.Fixtures;
using Canary.Testing.Http;
using Microsoft.Extensions.Time.Testing;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>The splunk backend against <see cref="SplunkApi"/>, a server that checks and answers as Splunk's SignalFlow API reference says.</summary>
public sealed class SplunkProviderTests
{
    private const string Program = "data('traces.count', filter=filter('sf_service', 'podinfo') and filter('sf_error', 'true')).sum().publish()";
    private const string WrongToken = "sfx-wrongwrongwrong";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);

    private static IMetricProvider Provider(TestServices services, string? address, TimeSpan? interval = null, (string, string)[]? secret = null) =>
        services.Factory.Create(new MetricProviderSpec
        {
            Type = MetricProviderTypes.Splunk,
            Address = address,
            Interval = interval ?? TimeSpan.FromMinutes(1),
            Credentials = VendorSecrets.Of(secret ?? [("sf_token_key", SplunkApi.Token + "\n")]),
        });

    private static IMetricProvider Provider(TestServices services, Uri address, TimeSpan? interval = null, (string, string)[]? secret = null) =>
        Provider(services, address.ToString(), interval, secret);

    [Fact]
    public async Task The_program_is_executed_as_rendered_over_the_metric_interval_and_the_value_is_the_last_one_published()
    {
        const string MultiLine = "total = data('traces.count').sum().publish(enable=False)\nerrors = data('traces.count', filter=filter('sf_error', 'true')).sum().publish(enable=False)\n(errors / total * 100).publish()\n";
        var api = new SplunkApi();
        api.Series.Add(("AAAAAKRVo8s", [1.5, 2.5, null]));
        await using var server = await SplunkApi.StartAsync(api);
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, server.BaseAddress, interval: TimeSpan.FromMinutes(2)).RunQueryAsync(MultiLine, CancellationToken.None);

        Assert.Equal(2.5, result.Value);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v2/signalflow/execute", request.Path);
        Assert.Equal($"?start={Now.AddMinutes(-2).ToUnixTimeMilliseconds()}&stop={Now.ToUnixTimeMilliseconds()}&immediate=true", request.Query);
        Assert.Equal(MultiLine, request.Body);
        Assert.Equal("text/plain; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal(SplunkApi.Token, request.Headers["X-SF-Token"]);
    }

    [Fact]
    public async Task No_value_is_no_data_and_values_of_two_time_series_are_an_error()
    {
        var api = new SplunkApi();
        await using var server = await SplunkApi.StartAsync(api);
        using var services = new TestServices(time: _clock);
        var provider = Provider(services, server.BaseAddress);

        var none = await provider.RunQueryAsync(Program, CancellationToken.None);
        api.Series.Add(("AAAAAKRVo8s", [null, null]));
        var nulls = await provider.RunQueryAsync(Program, CancellationToken.None);
        api.Series.Add(("AAAAAHjgsEM", [3, 4]));
        var one = await provider.RunQueryAsync(Program, CancellationToken.None);
        api.Series[0] = ("AAAAAKRVo8s", [1, 2]);
        var two = await provider.RunQueryAsync(Program, CancellationToken.None);

        Assert.Equal(MetricQueryStatus.NoData, none.Status);
        Assert.Equal("splunk: the SignalFlow program published no values in the window", none.Detail);
        Assert.Equal(MetricQueryStatus.NoData, nulls.Status);
        Assert.Equal(4, one.Value);
        Assert.Equal(MetricQueryStatus.Error, two.Status);
        Assert.Equal("splunk: the program returned 2 time series; make it return one", two.Detail);
    }

    [Fact]
    public async Task A_failed_aborted_or_cut_computation_fails_the_query_instead_of_judging_part_of_the_window()
    {
        var api = new SplunkApi { ComputationError = "Resolution of 1000ms exceeds the maximum data points allowed" };
        api.Series.Add(("AAAAAKRVo8s", [1, 2]));
        await using var server = await SplunkApi.StartAsync(api);
        using var services = new TestServices(time: _clock);
        var provider = Provider(services, server.BaseAddress);

        var failed = await provider.RunQueryAsync(Program, CancellationToken.None);
        (api.ComputationError, api.AbortReason) = (null, "Job stopped: too many input time series");
        var aborted = await provider.RunQueryAsync(Program, CancellationToken.None);
        (api.AbortReason, api.CutShort) = (null, true);
        var cut = await provider.RunQueryAsync(Program, CancellationToken.None);

        Assert.Equal("splunk: the SignalFlow computation failed: 400 ANALYTICS_JOB_ERROR Resolution of 1000ms exceeds the maximum data points allowed", failed.Detail);
        Assert.Equal(MetricQueryStatus.Error, aborted.Status);
        Assert.Equal("splunk: the SignalFlow computation was aborted: Job stopped: too many input time series", aborted.Detail);
        Assert.Equal(MetricQueryStatus.Unreachable, cut.Status);
        Assert.Equal("splunk 127.0.0.1: the SignalFlow stream ended before END_OF_CHANNEL", cut.Detail);
    }

    [Fact]
    public async Task A_program_that_does_not_compile_is_an_error_with_splunks_words()
    {
        await using var server = await SplunkApi.StartAsync(new SplunkApi());
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, server.BaseAddress).RunQueryAsync("data('traces.count').sum(.publish()", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Error, result.Status);
        Assert.Equal(
            "splunk 127.0.0.1 answered 400: {\"errorType\":\"PROGRAM_COMPILATION_ERROR\",\"message\":\"Compilation of the SignalFlow program failed at line 1: unexpected end of input\"}",
            result.Detail);
    }

    [Fact]
    public async Task A_rate_limited_execution_is_retried_and_a_wrong_token_is_an_error_that_never_shows_it()
    {
        // On the real clock: the retry's backoff waits on the services' clock, which a fake one never moves.
        var api = new SplunkApi { RateLimited = 1 };
        api.Series.Add(("AAAAAKRVo8s", [7]));
        await using var server = await SplunkApi.StartAsync(api);
        using var services = new TestServices();
        var wrongToken = Provider(services, server.BaseAddress, secret: [("sf_token_key", WrongToken)]);

        var limited = await Provider(services, server.BaseAddress).RunQueryAsync(Program, CancellationToken.None);
        var wrong = await wrongToken.RunQueryAsync(Program, CancellationToken.None);
        var offline = await wrongToken.IsOnlineAsync(CancellationToken.None);
        var online = await Provider(services, server.BaseAddress).IsOnlineAsync(CancellationToken.None);

        Assert.Equal(7, limited.Value);
        Assert.Equal(2, server.Requests.Count(r => r.Path == "/v2/signalflow/execute" && r.Headers["X-SF-Token"] == SplunkApi.Token));
        Assert.Equal("splunk 127.0.0.1 answered 401: {\"code\":401,\"message\":\"Unauthorized\"}", wrong.Detail);
        Assert.False(offline.IsOnline);
        Assert.True(online.IsOnline);
        Assert.Equal("GET /v2/metric?limit=1", $"{server.Requests[^1].Method} {server.Requests[^1].PathAndQuery}");
        Assert.DoesNotContain(WrongToken, wrong.Detail + offline.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_page_echoing_the_request_shows_stars_where_the_token_was()
    {
        await using var proxy = await LoopbackServer.StartAsync((request, _) => new ServerReply(403, $"forbidden for X-SF-Token {request.Headers["X-SF-Token"]}"));
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, proxy.BaseAddress).RunQueryAsync(Program, CancellationToken.None);

        Assert.Equal("splunk 127.0.0.1 answered 403: forbidden for X-SF-Token ***", result.Detail);
    }

    [Theory]
    [InlineData("https://api.us1.signalfx.com", "https://stream.us1.signalfx.com/", "https://api.us1.signalfx.com/")]
    [InlineData("https://api.eu0.observability.splunkcloud.com/", "https://stream.eu0.observability.splunkcloud.com/", "https://api.eu0.observability.splunkcloud.com/")]
    [InlineData("wss://stream.jp0.signalfx.com", "https://stream.jp0.signalfx.com/", "https://api.jp0.signalfx.com/")]
    [InlineData("http://signalfx-proxy.monitoring:8080", "http://signalfx-proxy.monitoring:8080/", "http://signalfx-proxy.monitoring:8080/")]
    public void SignalFlow_runs_on_the_stream_host_of_the_realm_and_the_health_check_on_its_api_host(string address, string stream, string api)
    {
        using var services = new TestServices();

        var provider = Assert.IsType<SplunkProvider>(Provider(services, address));

        Assert.Equal(new Uri(stream), provider.StreamAddress);
        Assert.Equal(new Uri(api), provider.ApiAddress);
    }

    [Fact]
    public void The_address_and_the_token_are_required()
    {
        using var services = new TestServices();

        var address = Assert.Throws<MetricProviderException>(() => Provider(services, (string?)null));
        var token = Assert.Throws<MetricProviderException>(() => Provider(services, "https://api.us1.signalfx.com", secret: [("token", "x")]));

        Assert.Equal("splunk: spec.provider.address is required", address.Message);
        Assert.Equal("splunk credentials does not contain sf_token_key", token.Message);
    }

    [Fact]
    public async Task Flaggers_documented_template_works_with_only_the_api_version_changed()
    {
        var api = new SplunkApi();
        api.Series.Add(("AAAAAKRVo8s", [97.5, 98.5]));
        await using var server = await SplunkApi.StartAsync(api);
        using var services = new TestServices(time: _clock);
        var template = FlaggerTemplates.Load(FlaggerDocsTemplate, server.BaseAddress);

        var result = await FlaggerTemplates.CheckAsync(services, template, VendorSecrets.Of(("sf_token_key", SplunkApi.Token)), "success rate", max: 99);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(98.5, result.Value);
        var request = Assert.Single(server.Requests);
        Assert.Equal($"?start={Now.AddMinutes(-1).ToUnixTimeMilliseconds()}&stop={Now.ToUnixTimeMilliseconds()}&immediate=true", request.Query);
        Assert.Equal(
            """
            total = data('traces.count', filter=filter('sf_service', 'podinfo')).sum().publish(enable=False)
            success = data('traces.count', filter=filter('sf_service', 'podinfo') and filter('sf_error', 'false')).sum().publish(enable=False)
            ((success/total) * 100).publish()
            """,
            request.Body);
    }

    // docs/gitbook/usage/metrics.md, "Splunk" (Flagger 1.44).
    private const string FlaggerDocsTemplate = """
        apiVersion: flagger.app/v1beta1
        kind: MetricTemplate
        metadata:
          name: success-rate
          namespace: istio-system
        spec:
          provider:
            type: splunk
            address: https://api.<REALM>.signalfx.com
            secretRef:
              name: splunk
          query: |
            total = data('traces.count', filter=filter('sf_service', '{{target}}')).sum().publish(enable=False)
            success = data('traces.count', filter=filter('sf_service', '{{target}}') and filter('sf_error', 'false')).sum().publish(enable=False)
            ((success/total) * 100).publish()
        """;
}
