using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>The datadog backend against <see cref="DatadogApi"/>, a server that checks and answers as Datadog's API reference says.</summary>
public sealed class DatadogProviderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);

    private static IMetricProvider Provider(TestServices services, Uri address, TimeSpan? interval = null, (string, string)[]? secret = null) =>
        services.Factory.Create(new MetricProviderSpec
        {
            Type = MetricProviderTypes.Datadog,
            Address = address.ToString(),
            Interval = interval ?? TimeSpan.FromMinutes(1),
            Credentials = VendorSecrets.Of(secret ?? [("datadog_api_key", DatadogApi.ApiKey), ("datadog_application_key", DatadogApi.ApplicationKey + "\n")]),
        });

    private static long Seconds(DateTimeOffset at) => at.ToUnixTimeSeconds();

    [Fact]
    public async Task The_window_is_the_metric_interval_and_the_value_the_newest_closed_bucket()
    {
        var api = new DatadogApi();
        // 20 s buckets; the last one (11:59:40 + 20 s = now) has just closed, one from 11:59:50 would still be open.
        api.Series.Add(([(Seconds(Now.AddSeconds(-60)), 1.5), (Seconds(Now.AddSeconds(-40)), null), (Seconds(Now.AddSeconds(-20)), 2.25), (Seconds(Now.AddSeconds(-10)), 99)], 20));
        await using var server = await DatadogApi.StartAsync(api);
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, server.BaseAddress).RunQueryAsync("sum:trace.http.request.errors{service:podinfo}.as_count()", CancellationToken.None);

        Assert.Equal(2.25, result.Value);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/v1/query", request.Path);
        Assert.Contains($"from={Seconds(Now.AddMinutes(-1))}&to={Seconds(Now)}&query=sum%3Atrace.http.request.errors%7Bservice%3Apodinfo%7D.as_count%28%29", request.Query, StringComparison.Ordinal);
        Assert.Equal(DatadogApi.ApplicationKey, request.Headers["DD-APPLICATION-KEY"]);
    }

    [Fact]
    public async Task No_series_or_only_null_points_is_no_data_and_a_bad_query_an_error_with_datadogs_words()
    {
        var api = new DatadogApi();
        await using var server = await DatadogApi.StartAsync(api);
        using var services = new TestServices(time: _clock);
        var provider = Provider(services, server.BaseAddress);

        var none = await provider.RunQueryAsync("avg:system.load.1{*}", CancellationToken.None);
        api.Series.Add(([(Seconds(Now.AddSeconds(-30)), null)], 10));
        var nulls = await provider.RunQueryAsync("avg:system.load.1{*}", CancellationToken.None);
        var bad = await provider.RunQueryAsync("avg:system.load.1{*}.rollup(avg", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.NoData, none.Status);
        Assert.Equal(MetricQueryStatus.NoData, nulls.Status);
        Assert.Equal(MetricQueryStatus.Error, bad.Status);
        Assert.StartsWith("datadog 127.0.0.1 answered 400: ", bad.Detail, StringComparison.Ordinal);
        Assert.Contains("Error parsing query", bad.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limited_query_waits_as_told_and_a_wrong_key_is_an_error_that_never_shows_the_keys()
    {
        // On the real clock: the retry waits the Retry-After second for real.
        var api = new DatadogApi { RateLimited = 1 };
        api.Series.Add(([(Seconds(DateTimeOffset.UtcNow.AddSeconds(-30)), 4)], 10));
        await using var server = await DatadogApi.StartAsync(api);
        using var services = new TestServices();

        var limited = await Provider(services, server.BaseAddress).RunQueryAsync("avg:x{*}", CancellationToken.None);
        var wrong = await Provider(services, server.BaseAddress, secret: [("datadog_api_key", "dd-api-wrong-key"), ("datadog_application_key", DatadogApi.ApplicationKey)])
            .RunQueryAsync("avg:x{*}", CancellationToken.None);
        var offline = await Provider(services, server.BaseAddress, secret: [("datadog_api_key", "dd-api-wrong-key"), ("datadog_application_key", "x-app")]).IsOnlineAsync(CancellationToken.None);
        var online = await Provider(services, server.BaseAddress).IsOnlineAsync(CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Value, limited.Status);
        Assert.Equal(2, server.Requests.Count(r => r.Path == "/api/v1/query" && r.Headers["DD-API-KEY"] == DatadogApi.ApiKey));
        Assert.Equal("datadog 127.0.0.1 answered 403: {\"errors\":[\"Forbidden\"]}", wrong.Detail);
        Assert.False(offline.IsOnline);
        Assert.True(online.IsOnline);
        Assert.DoesNotContain("dd-api", wrong.Detail + offline.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_page_echoing_the_request_shows_stars_where_the_keys_were()
    {
        // A proxy in front of the vendor that dumps the request headers into its error page.
        await using var proxy = await Canary.Testing.Http.LoopbackServer.StartAsync((request, _) =>
            new Canary.Testing.Http.ServerReply(400, $"bad request; headers: DD-API-KEY={request.Headers["DD-API-KEY"]} DD-APPLICATION-KEY={request.Headers["DD-APPLICATION-KEY"]}"));
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, proxy.BaseAddress).RunQueryAsync("avg:x{*}", CancellationToken.None);

        Assert.Equal("datadog 127.0.0.1 answered 400: bad request; headers: DD-API-KEY=*** DD-APPLICATION-KEY=***", result.Detail);
    }

    [Fact]
    public async Task Flaggers_documented_template_works_with_only_the_api_version_changed()
    {
        var api = new DatadogApi();
        api.Series.Add(([(Seconds(Now.AddSeconds(-40)), 1.25), (Seconds(Now.AddSeconds(-20)), 2.5)], 20));
        await using var server = await DatadogApi.StartAsync(api);
        using var services = new TestServices(time: _clock);
        var template = FlaggerTemplates.Load(FlaggerDocsTemplate, server.BaseAddress);

        var result = await FlaggerTemplates.CheckAsync(
            services, template, VendorSecrets.Of(("datadog_api_key", DatadogApi.ApiKey), ("datadog_application_key", DatadogApi.ApplicationKey)), "404s percentage", max: 5);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(2.5, result.Value);
        var query = Uri.UnescapeDataString(Assert.Single(server.Requests).Query);
        Assert.Contains("destination_workload_namespace:test,\n    destination_workload:podinfo,\n    !response_code:404\n  }.as_count()", query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vendor_error_names_the_template_and_the_backend_on_the_check()
    {
        await using var server = await DatadogApi.StartAsync(new DatadogApi());
        using var services = new TestServices(time: _clock);

        var result = await FlaggerTemplates.CheckAsync(
            services, FlaggerTemplates.Load(FlaggerDocsTemplate, server.BaseAddress), VendorSecrets.Of(("datadog_api_key", "dd-revoked-key"), ("datadog_application_key", DatadogApi.ApplicationKey)), "404s percentage", max: 5);

        Assert.False(result.Passed);
        Assert.Equal("Metric query failed for 404s percentage (template istio-system/not-found-percentage): datadog 127.0.0.1 answered 403: {\"errors\":[\"Forbidden\"]}", result.Message);
    }

    // docs/gitbook/usage/metrics.md, "Datadog" (Flagger 1.44).
    private const string FlaggerDocsTemplate = """
        apiVersion: flagger.app/v1beta1
        kind: MetricTemplate
        metadata:
          name: not-found-percentage
          namespace: istio-system
        spec:
          provider:
            type: datadog
            address: https://api.datadoghq.com
            secretRef:
              name: datadog
          query: |
            100 - (
              sum:istio.mesh.request.count{
                reporter:destination,
                destination_workload_namespace:{{ namespace }},
                destination_workload:{{ target }},
                !response_code:404
              }.as_count()
              /
              sum:istio.mesh.request.count{
                reporter:destination,
                destination_workload_namespace:{{ namespace }},
                destination_workload:{{ target }}
              }.as_count()
            ) * 100
        """;

    [Fact]
    public void Missing_keys_are_refused_naming_the_secret_key()
    {
        using var services = new TestServices();

        var error = Assert.Throws<MetricProviderException>(() => Provider(services, new Uri("https://api.datadoghq.eu"), secret: [("datadog_api_key", "k")]));

        Assert.Equal("datadog credentials does not contain datadog_application_key", error.Message);
    }
}
