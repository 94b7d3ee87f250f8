using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Tests.Fixtures;
using Canary.Testing.Http;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>The newrelic backend against <see cref="NewRelicApi"/>, a server that checks and answers as New Relic's Insights query API reference says.</summary>
public sealed class NewRelicProviderTests
{
    private const string WrongKey = "NRIQ-wrongwrongwrongwrong0000";

    private static IMetricProvider Provider(TestServices services, Uri address, TimeSpan? interval = null, (string, string)[]? secret = null) =>
        services.Factory.Create(new MetricProviderSpec
        {
            Type = MetricProviderTypes.NewRelic,
            Address = address.ToString(),
            Interval = interval ?? TimeSpan.FromMinutes(1),
            Credentials = VendorSecrets.Of(secret ?? [("newrelic_account_id", NewRelicApi.AccountId + "\n"), ("newrelic_query_key", NewRelicApi.QueryKey)]),
        });

    private static JsonObject Result(string name, JsonNode? value) => new() { [name] = value };

    [Fact]
    public async Task The_nrql_ends_with_the_metric_interval_as_its_since_clause_and_the_key_goes_in_its_header()
    {
        var api = new NewRelicApi();
        api.Results.Add(Result("result", 1.5));
        await using var server = await NewRelicApi.StartAsync(api);
        using var services = new TestServices();

        var result = await Provider(services, server.BaseAddress, interval: TimeSpan.FromSeconds(90))
            .RunQueryAsync("SELECT filter(count(*), WHERE error IS true) / count(*) * 100 FROM Transaction WHERE appName = 'podinfo'\n", CancellationToken.None);

        Assert.Equal(1.5, result.Value);
        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/v1/accounts/{NewRelicApi.AccountId}/query", request.Path);
        Assert.Equal(
            "?nrql=SELECT%20filter%28count%28%2A%29%2C%20WHERE%20error%20IS%20true%29%20%2F%20count%28%2A%29%20%2A%20100%20FROM%20Transaction%20WHERE%20appName%20%3D%20%27podinfo%27%20SINCE%2090%20seconds%20ago",
            request.Query);
        Assert.Equal(NewRelicApi.QueryKey, request.Headers["X-Query-Key"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
    }

    [Fact]
    public async Task The_one_value_is_read_whatever_the_function_calls_it_and_a_null_or_no_result_is_no_data()
    {
        var api = new NewRelicApi();
        await using var server = await NewRelicApi.StartAsync(api);
        using var services = new TestServices();
        var provider = Provider(services, server.BaseAddress);
        const string Query = "SELECT count(*) FROM Transaction";

        var none = await provider.RunQueryAsync(Query, CancellationToken.None);
        api.Results.Add(Result("count", 42));
        var count = await provider.RunQueryAsync(Query, CancellationToken.None);
        api.Results[0] = Result("percentile", new JsonObject { ["95"] = 0.25 });
        var percentile = await provider.RunQueryAsync(Query, CancellationToken.None);
        api.Results[0] = Result("average", null);
        var average = await provider.RunQueryAsync(Query, CancellationToken.None);

        Assert.Equal(MetricQueryStatus.NoData, none.Status);
        Assert.Equal("newrelic returned no results", none.Detail);
        Assert.Equal(42, count.Value);
        Assert.Equal(0.25, percentile.Value);
        Assert.Equal(MetricQueryStatus.NoData, average.Status);
        Assert.Equal("newrelic returned no value for average (no events in the window)", average.Detail);
    }

    [Fact]
    public async Task Several_results_several_values_or_a_facet_answer_are_errors_that_say_what_to_change()
    {
        var api = new NewRelicApi();
        await using var server = await NewRelicApi.StartAsync(api);
        using var services = new TestServices();
        var provider = Provider(services, server.BaseAddress);

        api.Results.AddRange([Result("count", 1), Result("average", 2)]);
        var results = await provider.RunQueryAsync("SELECT count(*), average(duration) FROM Transaction", CancellationToken.None);
        api.Results.Clear();
        api.Results.Add(new JsonObject { ["count"] = 1, ["sum"] = 2 });
        var values = await provider.RunQueryAsync("SELECT count(*) FROM Transaction", CancellationToken.None);
        api.OtherShape = new JsonObject { ["facets"] = new JsonArray(new JsonObject { ["name"] = "podinfo", ["results"] = new JsonArray(Result("count", 3)) }) };
        var facets = await provider.RunQueryAsync("SELECT count(*) FROM Transaction FACET appName", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Error, results.Status);
        Assert.StartsWith("newrelic: the query returned 2 results; make it select one value", results.Detail, StringComparison.Ordinal);
        Assert.StartsWith("newrelic: the result has 2 values (count, sum); make the query select one", values.Detail, StringComparison.Ordinal);
        Assert.StartsWith("newrelic answered no results (a FACET or TIMESERIES query?)", facets.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_new_relic_cannot_parse_is_an_error_with_its_words_naming_the_backend()
    {
        await using var server = await NewRelicApi.StartAsync(new NewRelicApi());
        using var services = new TestServices();

        var result = await Provider(services, server.BaseAddress).RunQueryAsync("SELECT count(* FROM Transaction", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Error, result.Status);
        Assert.StartsWith("newrelic 127.0.0.1 answered 400: {\"error\":\"NRQL Syntax Error:", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limits_are_retried_then_unreachable_and_a_wrong_key_is_an_error_that_never_shows_the_key()
    {
        var api = new NewRelicApi { RateLimited = 1 };
        api.Results.Add(Result("result", 3));
        await using var server = await NewRelicApi.StartAsync(api);
        using var services = new TestServices();
        var provider = Provider(services, server.BaseAddress);
        var wrongKey = Provider(services, server.BaseAddress, secret: [("newrelic_account_id", NewRelicApi.AccountId), ("newrelic_query_key", WrongKey)]);

        var limited = await provider.RunQueryAsync("SELECT count(*) FROM Transaction", CancellationToken.None);
        var limitedRequests = server.Requests.Count;
        api.InspectedLimitReached = true;
        var inspected = await provider.RunQueryAsync("SELECT count(*) FROM Transaction", CancellationToken.None);
        api.InspectedLimitReached = false;
        var wrong = await wrongKey.RunQueryAsync("SELECT count(*) FROM Transaction", CancellationToken.None);
        var offline = await wrongKey.IsOnlineAsync(CancellationToken.None);
        var online = await provider.IsOnlineAsync(CancellationToken.None);

        Assert.Equal(3, limited.Value);
        Assert.Equal(2, limitedRequests);
        Assert.Equal(MetricQueryStatus.Unreachable, inspected.Status);
        Assert.Equal("newrelic 127.0.0.1 answered 503: {\"error\":\"Query rate limit exceeded\"}", inspected.Detail);
        Assert.Equal("newrelic 127.0.0.1 answered 403: {\"error\":\"Invalid query key\"}", wrong.Detail);
        Assert.False(offline.IsOnline);
        Assert.True(online.IsOnline);
        Assert.Contains("SELECT count(*) FROM Metric SINCE 60 seconds ago", Uri.UnescapeDataString(server.Requests[^1].Query), StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, wrong.Detail + offline.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_page_echoing_the_request_shows_stars_where_the_key_was()
    {
        await using var proxy = await LoopbackServer.StartAsync((request, _) => new ServerReply(401, $"denied: X-Query-Key={request.Headers["X-Query-Key"]}"));
        using var services = new TestServices();

        var result = await Provider(services, proxy.BaseAddress).RunQueryAsync("SELECT count(*) FROM Transaction", CancellationToken.None);

        Assert.Equal("newrelic 127.0.0.1 answered 401: denied: X-Query-Key=***", result.Detail);
    }

    [Fact]
    public void Missing_or_malformed_secret_keys_are_refused_naming_the_key()
    {
        using var services = new TestServices();
        var address = new Uri("https://insights-api.eu.newrelic.com");

        var account = Assert.Throws<MetricProviderException>(() => Provider(services, address, secret: [("newrelic_query_key", NewRelicApi.QueryKey)]));
        var key = Assert.Throws<MetricProviderException>(() => Provider(services, address, secret: [("newrelic_account_id", NewRelicApi.AccountId)]));
        var path = Assert.Throws<MetricProviderException>(() => Provider(services, address, secret: [("newrelic_account_id", "12/../34"), ("newrelic_query_key", NewRelicApi.QueryKey)]));

        Assert.Equal("newrelic credentials does not contain the key 'newrelic_account_id'", account.Message);
        Assert.Equal("newrelic credentials does not contain the key 'newrelic_query_key'", key.Message);
        Assert.Equal("newrelic credentials: newrelic_account_id is not a New Relic account ID (digits only)", path.Message);
    }

    [Fact]
    public async Task Flaggers_documented_template_works_with_only_the_api_version_changed()
    {
        var api = new NewRelicApi();
        api.Results.Add(Result("result", 1.25));
        await using var server = await NewRelicApi.StartAsync(api);
        using var services = new TestServices();
        var template = FlaggerTemplates.Load(FlaggerDocsTemplate, server.BaseAddress);

        var result = await FlaggerTemplates.CheckAsync(
            services, template, VendorSecrets.Of(("newrelic_account_id", NewRelicApi.AccountId), ("newrelic_query_key", NewRelicApi.QueryKey)), "error rate", max: 5);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(1.25, result.Value);
        var nrql = Uri.UnescapeDataString(Assert.Single(server.Requests).Query);
        Assert.EndsWith("AND ingress = 'podinfo' AND  namespace = 'test' SINCE 60 seconds ago", nrql, StringComparison.Ordinal);
    }

    // docs/gitbook/usage/metrics.md, "New Relic" (Flagger 1.44), trailing spaces included.
    private const string FlaggerDocsTemplate = """
        apiVersion: flagger.app/v1beta1
        kind: MetricTemplate
        metadata:
          name: newrelic-error-rate
          namespace: ingress-nginx
        spec:
          provider:
            type: newrelic
            secretRef:
              name: newrelic
          query: |
            SELECT 
                filter(sum(nginx_ingress_controller_requests), WHERE status >= '500') / 
                sum(nginx_ingress_controller_requests) * 100
            FROM Metric 
            WHERE metricName = 'nginx_ingress_controller_requests' 
            AND ingress = '{{ ingress }}' AND  namespace = '{{ namespace }}'
        """;
}
