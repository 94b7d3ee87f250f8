using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Providers.Backends;
using Canary.MetricTemplates.Tests.Fixtures;
using Canary.Testing.Http;
using Microsoft.Extensions.Time.Testing;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>The dynatrace backend against <see cref="DynatraceApi"/>, a server that checks and answers as Dynatrace's Metrics API v2 reference says.</summary>
public sealed class DynatraceProviderTests
{
    private const string Selector = "builtin:service.response.time:filter(eq(dt.entity.service,SERVICE-ABCDEFG0123456789)):percentile(95)";
    private const string WrongToken = "dt0c01.WRONGWRONGWRONGWRONGWRONG.1111";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);

    private static IMetricProvider Provider(TestServices services, Uri? address, TimeSpan? interval = null, (string, string)[]? secret = null) =>
        services.Factory.Create(new MetricProviderSpec
        {
            Type = MetricProviderTypes.Dynatrace,
            Address = address?.ToString(),
            Interval = interval ?? TimeSpan.FromMinutes(1),
            Credentials = VendorSecrets.Of(secret ?? [("dynatrace_token", DynatraceApi.Token + "\n")]),
        });

    [Fact]
    public async Task The_window_is_the_metric_interval_folded_into_one_value_and_the_token_goes_as_an_api_token()
    {
        var api = new DynatraceApi();
        api.Series.Add(("SERVICE-ABCDEFG0123456789", 184.5));
        await using var server = await DynatraceApi.StartAsync(api);
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, server.BaseAddress, interval: TimeSpan.FromMinutes(2)).RunQueryAsync(Selector + "\n", CancellationToken.None);

        Assert.Equal(184.5, result.Value);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/v2/metrics/query", request.Path);
        Assert.Equal(
            "?metricSelector=builtin%3Aservice.response.time%3Afilter%28eq%28dt.entity.service%2CSERVICE-ABCDEFG0123456789%29%29%3Apercentile%2895%29"
            + $"&resolution=Inf&from={Now.AddMinutes(-2).ToUnixTimeMilliseconds()}&to={Now.ToUnixTimeMilliseconds()}",
            request.Query);
        Assert.Equal("Api-Token " + DynatraceApi.Token, request.Authorization);
    }

    [Fact]
    public async Task The_value_is_flaggers_last_series_and_the_pages_are_followed_to_it_with_the_page_key_alone()
    {
        var api = new DynatraceApi { PageSize = 2 };
        api.Series.AddRange([("SERVICE-1", 1), ("SERVICE-2", 2), ("SERVICE-3", 3), ("SERVICE-4", 4), ("SERVICE-5", 5)]);
        await using var server = await DynatraceApi.StartAsync(api);
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, server.BaseAddress).RunQueryAsync("builtin:service.response.time:splitBy(\"dt.entity.service\")", CancellationToken.None);

        Assert.Equal(5, result.Value);
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests.Skip(1), r => Assert.Matches("^\\?nextPageKey=[^&]+$", r.Query));
    }

    [Fact]
    public async Task A_selector_that_pages_on_and_on_is_an_error_instead_of_a_partial_answer()
    {
        var api = new DynatraceApi { PageSize = 1 };
        api.Series.AddRange(Enumerable.Range(1, DynatraceProvider.MaxPages + 5).Select(i => ($"SERVICE-{i}", (double?)i)));
        await using var server = await DynatraceApi.StartAsync(api);
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, server.BaseAddress).RunQueryAsync("builtin:service.requestCount.total:splitBy(\"dt.entity.service\")", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Error, result.Status);
        Assert.Equal("dynatrace: the selector yields more than 20 pages of series (25 in all); filter or fold it to the series to judge", result.Detail);
        Assert.Equal(DynatraceProvider.MaxPages, server.Requests.Count);
    }

    [Fact]
    public async Task No_series_or_a_null_value_is_no_data_with_dynatraces_warnings()
    {
        var api = new DynatraceApi();
        await using var server = await DynatraceApi.StartAsync(api);
        using var services = new TestServices(time: _clock);
        var provider = Provider(services, server.BaseAddress);

        var none = await provider.RunQueryAsync(Selector, CancellationToken.None);
        api.Series.Add(("SERVICE-ABCDEFG0123456789", null));
        api.Warnings.Add("The lastWritten timestamp of the metric is older than the requested timeframe.");
        var nulls = await provider.RunQueryAsync(Selector, CancellationToken.None);

        Assert.Equal(MetricQueryStatus.NoData, none.Status);
        Assert.Equal($"dynatrace returned no series for {Selector}", none.Detail);
        Assert.Equal(MetricQueryStatus.NoData, nulls.Status);
        Assert.Equal($"dynatrace returned no value for {Selector} in the window (The lastWritten timestamp of the metric is older than the requested timeframe.)", nulls.Detail);
    }

    [Fact]
    public async Task A_bad_selector_or_a_token_without_the_scope_is_an_error_with_dynatraces_words()
    {
        await using var server = await DynatraceApi.StartAsync(new DynatraceApi());
        using var services = new TestServices(time: _clock);

        var bad = await Provider(services, server.BaseAddress).RunQueryAsync("builtin:service.response.time:percentile(95", CancellationToken.None);
        var scope = await Provider(services, server.BaseAddress, secret: [("dynatrace_token", DynatraceApi.TokenWithoutScope)]).RunQueryAsync(Selector, CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Error, bad.Status);
        Assert.StartsWith("dynatrace 127.0.0.1 answered 400: {\"error\":{\"code\":400,\"message\":\"Constraints violated.\",\"constraintViolations\":[{\"path\":\"metricSelector\",\"message\":\"The metric selector is invalid", bad.Detail, StringComparison.Ordinal);
        Assert.Equal("dynatrace 127.0.0.1 answered 403: {\"error\":{\"code\":403,\"message\":\"Token is missing required scope. Use one of: metrics.read (Read metrics)\"}}", scope.Detail);
    }

    [Fact]
    public async Task A_rate_limited_query_waits_as_told_and_a_wrong_token_is_an_error_that_never_shows_it()
    {
        // On the real clock: the retry waits the Retry-After second for real.
        var api = new DynatraceApi { RateLimited = 1 };
        api.Series.Add(("SERVICE-ABCDEFG0123456789", 12));
        await using var server = await DynatraceApi.StartAsync(api);
        using var services = new TestServices();
        var wrongToken = Provider(services, server.BaseAddress, secret: [("dynatrace_token", WrongToken)]);

        var limited = await Provider(services, server.BaseAddress).RunQueryAsync(Selector, CancellationToken.None);
        var wrong = await wrongToken.RunQueryAsync(Selector, CancellationToken.None);
        var offline = await wrongToken.IsOnlineAsync(CancellationToken.None);
        var online = await Provider(services, server.BaseAddress).IsOnlineAsync(CancellationToken.None);

        Assert.Equal(12, limited.Value);
        Assert.Equal(2, server.Requests.Count(r => r.Path == "/api/v2/metrics/query" && r.Authorization == "Api-Token " + DynatraceApi.Token));
        Assert.Equal("dynatrace 127.0.0.1 answered 401: {\"error\":{\"code\":401,\"message\":\"Token Authentication failed\"}}", wrong.Detail);
        Assert.False(offline.IsOnline);
        Assert.True(online.IsOnline);
        Assert.Equal("/api/v2/metrics?pageSize=1", server.Requests[^1].PathAndQuery);
        Assert.DoesNotContain(WrongToken, wrong.Detail + offline.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_page_echoing_the_request_shows_stars_where_the_token_was()
    {
        await using var proxy = await LoopbackServer.StartAsync((request, _) => new ServerReply(400, $"bad request; Authorization: {request.Authorization}"));
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, proxy.BaseAddress).RunQueryAsync(Selector, CancellationToken.None);

        Assert.Equal("dynatrace 127.0.0.1 answered 400: bad request; Authorization: Api-Token ***", result.Detail);
    }

    [Fact]
    public void The_environment_url_and_the_token_are_required()
    {
        using var services = new TestServices();

        var address = Assert.Throws<MetricProviderException>(() => Provider(services, null));
        var token = Assert.Throws<MetricProviderException>(() => Provider(services, new Uri("https://abc12345.live.dynatrace.com"), secret: [("token", "x")]));

        Assert.Equal("dynatrace: spec.provider.address is required", address.Message);
        Assert.Equal("dynatrace credentials does not contain dynatrace_token", token.Message);
    }

    [Fact]
    public async Task Flaggers_documented_template_works_with_only_the_api_version_changed()
    {
        var api = new DynatraceApi();
        api.Series.Add(("SERVICE-ABCDEFG0123456789", 250.5));
        await using var server = await DynatraceApi.StartAsync(api);
        using var services = new TestServices(time: _clock);
        var template = FlaggerTemplates.Load(FlaggerDocsTemplate, server.BaseAddress);

        var result = await FlaggerTemplates.CheckAsync(
            services, template, VendorSecrets.Of(("dynatrace_token", DynatraceApi.Token)), "response-time-95pct", max: 1000);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(250.5, result.Value);
        var request = Assert.Single(server.Requests);
        Assert.StartsWith($"?metricSelector={Uri.EscapeDataString(Selector)}&resolution=Inf&from={Now.AddMinutes(-1).ToUnixTimeMilliseconds()}&", request.Query, StringComparison.Ordinal);
    }

    // docs/gitbook/usage/metrics.md, "Dynatrace" (Flagger 1.44).
    private const string FlaggerDocsTemplate = """
        apiVersion: flagger.app/v1beta1
        kind: MetricTemplate
        metadata:
          name: response-time-95pct
          namespace: istio-system
        spec:
          provider:
            type: dynatrace
            address: https://xxxxxxxx.live.dynatrace.com
            secretRef:
              name: dynatrace
          query: |
            builtin:service.response.time:filter(eq(dt.entity.service,SERVICE-ABCDEFG0123456789)):percentile(95)
        """;
}
