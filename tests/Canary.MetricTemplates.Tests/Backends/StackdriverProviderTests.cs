using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Providers.Backends;
using Canary.MetricTemplates.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// The stackdriver backend against <see cref="StackdriverApi"/>: Google's token endpoint (which verifies the service
/// account's RS256 JWT with the public key of the RSA pair made here), metadata server and Cloud Monitoring's MQL query.
/// </summary>
public sealed class StackdriverProviderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 30, TimeSpan.Zero);
    private static readonly DateTimeOffset Minute = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private const string Latency = "fetch k8s_container | metric 'istio.io/service/server/response_latencies' | align delta(1m) | every 1m";
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly StackdriverApi _api;

    public StackdriverProviderTests() => _api = new StackdriverApi(() => _clock.GetUtcNow());

    public void Dispose() => _api.Dispose();

    private static JsonObject Double(double value) => new() { ["doubleValue"] = value };

    private IMetricProvider Provider(TestServices services, Uri monitoring, Uri tokenServer, (string, string)[]? secret = null) =>
        services.Factory.Create(new MetricProviderSpec
        {
            Type = MetricProviderTypes.Stackdriver,
            Address = monitoring.ToString(),
            Credentials = VendorSecrets.Of(secret ?? [("project", StackdriverApi.Project), ("serviceAccountKey", _api.ServiceAccountKey(tokenServer))]),
        });

    [Fact]
    public async Task The_mql_query_is_posted_with_a_token_of_the_keys_token_uri_and_the_value_is_the_first_series_newest_point()
    {
        _api.Series.Add([(Minute, Double(12.5)), (Minute.AddMinutes(-1), Double(10))]);
        _api.Series.Add([(Minute, Double(99))]);
        await using var server = await _api.StartAsync();
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, server.BaseAddress, server.BaseAddress).RunQueryAsync(Latency, CancellationToken.None);

        Assert.Equal(12.5, result.Value);
        var token = server.Requests[0];
        Assert.Equal("/token", token.Path);
        Assert.Contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer", token.Body, StringComparison.Ordinal);
        var query = server.Requests[1];
        Assert.Equal($"/v3/projects/{StackdriverApi.Project}/timeSeries:query", query.Path);
        Assert.Equal(Latency, JsonNode.Parse(query.Body)!["query"]!.GetValue<string>());
        Assert.StartsWith("application/json", query.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal($"Bearer {Assert.Single(_api.TokensUsed)}", query.Authorization);
        Assert.Equal(1, _api.TokensIssued);
    }

    [Fact]
    public async Task The_newest_point_wins_whatever_the_order_and_int64_and_bool_values_are_numbers()
    {
        await using var server = await _api.StartAsync();
        using var services = new TestServices(time: _clock);
        var provider = Provider(services, server.BaseAddress, server.BaseAddress);

        _api.Series.Add([(Minute.AddMinutes(-1), Double(1)), (Minute, Double(2))]);
        var reordered = await provider.RunQueryAsync(Latency, CancellationToken.None);
        _api.Series[0] = [(Minute, new JsonObject { ["int64Value"] = "42" })];
        var int64 = await provider.RunQueryAsync(Latency, CancellationToken.None);
        _api.Series[0] = [(Minute, new JsonObject { ["boolValue"] = true })];
        var boolean = await provider.RunQueryAsync(Latency, CancellationToken.None);
        _api.Series[0] = [(Minute, new JsonObject { ["distributionValue"] = new JsonObject { ["count"] = "3", ["mean"] = 12.0 } })];
        var distribution = await provider.RunQueryAsync(Latency, CancellationToken.None);

        Assert.Equal(2, reordered.Value);
        Assert.Equal(42, int64.Value);
        Assert.Equal(1, boolean.Value);
        Assert.Equal(MetricQueryStatus.Error, distribution.Status);
        Assert.StartsWith("stackdriver returned a distributionValue where a number is needed", distribution.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_is_fetched_once_for_concurrent_queries_and_reused_until_shortly_before_it_expires()
    {
        _api.Series.Add([(Minute, Double(3))]);
        await using var server = await _api.StartAsync();
        using var services = new TestServices(time: _clock);

        // A new provider per query, as the analyzer makes them: the token outlives them.
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Provider(services, server.BaseAddress, server.BaseAddress).RunQueryAsync(Latency, CancellationToken.None)));
        _clock.Advance(TimeSpan.FromMinutes(30));
        var later = await Provider(services, server.BaseAddress, server.BaseAddress).RunQueryAsync(Latency, CancellationToken.None);
        var first = _api.TokensUsed.Distinct().ToList();
        _clock.Advance(TimeSpan.FromMinutes(29) + TimeSpan.FromSeconds(50));
        var expiring = await Provider(services, server.BaseAddress, server.BaseAddress).RunQueryAsync(Latency, CancellationToken.None);

        Assert.All(concurrent, r => Assert.Equal(3, r.Value));
        Assert.Equal(3, later.Value);
        Assert.Single(first);
        Assert.Equal(3, expiring.Value);
        Assert.Equal(2, _api.TokensIssued);
        Assert.NotEqual(first[0], _api.TokensUsed.Last());
    }

    [Fact]
    public async Task Pages_are_followed_until_the_first_series_and_no_series_is_no_data()
    {
        _api.EmptyFirstPage = true;
        _api.Series.Add([(Minute, Double(8))]);
        await using var server = await _api.StartAsync();
        using var services = new TestServices(time: _clock);
        var provider = Provider(services, server.BaseAddress, server.BaseAddress);

        var paged = await provider.RunQueryAsync(Latency, CancellationToken.None);
        _api.Series.Clear();
        var none = await provider.RunQueryAsync(Latency, CancellationToken.None);
        _api.Series.Add([]);
        var pointless = await provider.RunQueryAsync(Latency, CancellationToken.None);

        Assert.Equal(8, paged.Value);
        var queries = server.Requests.Where(r => r.Path.EndsWith(":query", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Null(queries[0]["pageToken"]);
        Assert.Equal("page-2", queries[1]["pageToken"]!.GetValue<string>());
        Assert.Equal(MetricQueryStatus.NoData, none.Status);
        Assert.Equal("stackdriver returned no time series", none.Detail);
        Assert.Equal(MetricQueryStatus.NoData, pointless.Status);
    }

    [Fact]
    public async Task Vendor_errors_name_the_backend_in_googles_words()
    {
        await using var server = await _api.StartAsync();
        using var services = new TestServices(time: _clock);

        var badQuery = await Provider(services, server.BaseAddress, server.BaseAddress).RunQueryAsync("fecth k8s_container", CancellationToken.None);
        var otherProject = await Provider(services, server.BaseAddress, server.BaseAddress, [("project", "someone-elses"), ("serviceAccountKey", _api.ServiceAccountKey(server.BaseAddress))])
            .RunQueryAsync(Latency, CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Error, badQuery.Status);
        Assert.Equal("stackdriver 127.0.0.1 answered 400 INVALID_ARGUMENT: Line 1, column 1: Expected a table operation (e.g. 'fetch'), found 'fecth'.", badQuery.Detail);
        Assert.Equal("stackdriver 127.0.0.1 answered 403 PERMISSION_DENIED: Permission monitoring.timeSeries.list denied (or the resource may not exist).", otherProject.Detail);
    }

    [Fact]
    public async Task A_key_the_token_endpoint_refuses_is_an_error_that_never_shows_the_key_and_IsOnline_tells_both_ways()
    {
        await using var server = await _api.StartAsync();
        using var services = new TestServices(time: _clock);
        using var stranger = RSA.Create(2048);
        var wrongKey = _api.ServiceAccountKey(server.BaseAddress, stranger);
        var wrong = Provider(services, server.BaseAddress, server.BaseAddress, [("project", StackdriverApi.Project), ("serviceAccountKey", wrongKey)]);

        var refused = await wrong.RunQueryAsync(Latency, CancellationToken.None);
        var offline = await wrong.IsOnlineAsync(CancellationToken.None);
        var online = await Provider(services, server.BaseAddress, server.BaseAddress).IsOnlineAsync(CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Error, refused.Status);
        Assert.Equal("stackdriver could not get an access token from 127.0.0.1: invalid_grant: Invalid JWT Signature.", refused.Detail);
        Assert.False(offline.IsOnline);
        Assert.Equal(refused.Detail, offline.Reason);
        Assert.True(online.IsOnline, online.Reason);
        Assert.Equal(string.Empty, JsonNode.Parse(server.Requests[^1].Body)!["query"]!.GetValue<string>());
        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith(":query", StringComparison.Ordinal) && r.Authorization is null);
    }

    [Fact]
    public async Task An_error_page_echoing_the_request_shows_stars_where_the_token_was()
    {
        // A proxy in front of Cloud Monitoring that dumps the request's Authorization header into its error page.
        await using var tokens = await _api.StartAsync();
        await using var proxy = await Canary.Testing.Http.LoopbackServer.StartAsync((request, _) =>
            new Canary.Testing.Http.ServerReply(400, $"bad request; Authorization={request.Authorization}"));
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, proxy.BaseAddress, tokens.BaseAddress).RunQueryAsync(Latency, CancellationToken.None);

        Assert.Equal("stackdriver 127.0.0.1 answered 400: bad request; Authorization=Bearer ***", result.Detail);
        Assert.DoesNotContain("ya29", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_the_token_comes_from_the_metadata_server_as_with_workload_identity()
    {
        _api.Series.Add([(Minute, Double(0.5))]);
        await using var server = await _api.StartAsync();
        using var standalone = new StandaloneBackend();
        var spec = new MetricProviderSpec { Type = MetricProviderTypes.Stackdriver, Address = server.BaseAddress.ToString(), Credentials = VendorSecrets.Of(("project", StackdriverApi.Project)) };

        var result = await StackdriverProvider.Create(standalone.Context(_clock), spec, StandaloneBackend.Environment(("GCE_METADATA_HOST", server.BaseAddress.Authority)))
            .RunQueryAsync(Latency, CancellationToken.None);

        Assert.Equal(0.5, result.Value);
        var metadata = server.Requests[0];
        Assert.Equal("/computeMetadata/v1/instance/service-accounts/default/token", metadata.Path);
        Assert.Equal("Google", metadata.Headers["Metadata-Flavor"]);
        Assert.Equal(0, _api.TokensIssued);
    }

    [Fact]
    public void Missing_secret_keys_are_refused_naming_them()
    {
        using var services = new TestServices();
        IMetricProvider Create((string, string)[]? secret) => services.Factory.Create(new MetricProviderSpec
        {
            Type = MetricProviderTypes.Stackdriver,
            Credentials = secret is null ? null : VendorSecrets.Of(secret),
        });

        var noProject = Assert.Throws<MetricProviderException>(() => Create([("serviceAccountKey", "{}")]));
        var noSecret = Assert.Throws<MetricProviderException>(() => Create(null));
        var noPrivateKey = Assert.Throws<MetricProviderException>(() => Create([("project", "p"), ("serviceAccountKey", """{"type":"service_account","client_email":"a@p.iam.gserviceaccount.com"}""")]));
        var userCredential = Assert.Throws<MetricProviderException>(() => Create([("project", "p"), ("serviceAccountKey", """{"type":"authorized_user","refresh_token":"1//0g-secret"}""")]));
        var notJson = Assert.Throws<MetricProviderException>(() => Create([("project", "p"), ("serviceAccountKey", "-----BEGIN PRIVATE KEY-----")]));
        var notPem = Assert.Throws<MetricProviderException>(() => Create([("project", "p"),
            ("serviceAccountKey", """{"type":"service_account","client_email":"a@p.iam.gserviceaccount.com","private_key":"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"}""")]));

        Assert.Equal("stackdriver credentials does not contain a project id", noProject.Message);
        Assert.Equal("stackdriver needs spec.provider.secretRef: a Secret with the project id in key project", noSecret.Message);
        Assert.Equal("stackdriver serviceAccountKey does not contain private_key", noPrivateKey.Message);
        Assert.StartsWith("stackdriver serviceAccountKey is a 'authorized_user' credential; only service account keys", userCredential.Message, StringComparison.Ordinal);
        Assert.StartsWith("stackdriver serviceAccountKey is not JSON", notJson.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN", notJson.Message, StringComparison.Ordinal);
        Assert.StartsWith("stackdriver serviceAccountKey private_key is not a PEM RSA private key", notPem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MIIE", notPem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flaggers_documented_template_works_with_only_the_api_version_changed()
    {
        _api.Series.Add([(Minute, Double(123.4)), (Minute.AddMinutes(-1), Double(150))]);
        await using var server = await _api.StartAsync();
        using var services = new TestServices(time: _clock);
        var template = FlaggerTemplates.Load(FlaggerDocsTemplate, server.BaseAddress);

        // The docs' Secret holds the project; "alternatively" the key, which takes the place of workload identity here.
        var result = await FlaggerTemplates.CheckAsync(
            services, template, VendorSecrets.Of(("project", StackdriverApi.Project), ("serviceAccountKey", _api.ServiceAccountKey(server.BaseAddress))), "p99 latency", max: 500);

        Assert.True(result.Passed, result.Message);
        Assert.Equal(123.4, result.Value);
        var query = JsonNode.Parse(server.Requests.Single(r => r.Path.EndsWith(":query", StringComparison.Ordinal)).Body)!["query"]!.GetValue<string>();
        Assert.Contains("(metric.destination_service_name == 'podinfo-canary'\n    && metric.destination_service_namespace == 'test')", query, StringComparison.Ordinal);
        Assert.Contains("percentile(value.response_latencies, 99)]", query, StringComparison.Ordinal);
    }

    // docs/gitbook/usage/metrics.md, "Google Cloud Monitoring (Stackdriver)" (Flagger 1.44).
    private const string FlaggerDocsTemplate = """
        apiVersion: flagger.app/v1beta1
        kind: MetricTemplate
        metadata:
          name: bytes-sent
          namespace: test
        spec:
          provider:
            type: stackdriver
            secretRef: 
              name: gcloud-sa
          query: |
            fetch k8s_container
            | metric 'istio.io/service/server/response_latencies'
            | filter
                (metric.destination_service_name == '{{ service }}-canary'
                && metric.destination_service_namespace == '{{ namespace }}')
            | align delta(1m)
            | every 1m
            | group_by [],
                [value_response_latencies_percentile:
                  percentile(value.response_latencies, 99)]
        """;
}
