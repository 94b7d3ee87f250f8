using System.Globalization;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Tests.Fixtures;
using Canary.Sandbox.Influx;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>One real InfluxDB 1.x (Debian's influxd) for the InfluxQL tests of a class.</summary>
public sealed class InfluxDbFixture : IAsyncLifetime
{
    public InfluxDbRunner Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await InfluxDbRunner.StartAsync("telegraf");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The influxdb backend: InfluxQL against a real InfluxDB 1.x server, Flux against <see cref="InfluxDb2Api"/> (InfluxDB 2's
/// documented query API: InfluxDB Cloud is a vendor service; Debian ships only 1.x).
/// </summary>
public sealed class InfluxDbProviderTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    private static IMetricProvider Provider(TestServices services, string address, (string, string)[]? secret = null) =>
        services.Factory.Create(new MetricProviderSpec
        {
            Type = MetricProviderTypes.InfluxDb,
            Address = address,
            Credentials = secret is null ? null : VendorSecrets.Of(secret),
        });

    [Fact]
    public async Task InfluxQl_reads_the_first_value_of_the_first_series_from_a_real_server()
    {
        var now = DateTimeOffset.UtcNow;
        await influx.Server.WriteAsync(string.Join('\n',
            Point("http,namespace=t1,workload=podinfo requests=100i,errors=5i", now.AddSeconds(-20)),
            Point("http,namespace=t1,workload=podinfo requests=100i,errors=3i", now.AddSeconds(-10)),
            Point("http,namespace=t1,workload=podinfo-primary requests=100i,errors=0i", now.AddSeconds(-10))));
        using var services = new TestServices();
        var provider = Provider(services, new Uri(influx.Server.Url, "?db=telegraf").ToString());

        var rate = await provider.RunQueryAsync(
            "SELECT 100 * (1 - sum(\"errors\") / sum(\"requests\")) FROM \"http\" WHERE \"namespace\" = 't1' AND \"workload\" = 'podinfo' AND time > now() - 1m",
            CancellationToken.None);
        var none = await provider.RunQueryAsync("SELECT sum(\"requests\") FROM \"http\" WHERE \"namespace\" = 'absent' AND time > now() - 1m", CancellationToken.None);
        var bad = await provider.RunQueryAsync("SELECT sum(requests FROM http", CancellationToken.None);

        Assert.Equal(96, rate.Value!.Value, precision: 9);
        Assert.Equal(MetricQueryStatus.NoData, none.Status);
        Assert.Equal(MetricQueryStatus.Error, bad.Status);
        Assert.StartsWith("influxdb rejected the query: error parsing query: ", bad.Detail, StringComparison.Ordinal);
        Assert.True((await provider.IsOnlineAsync(CancellationToken.None)).IsOnline);
    }

    [Fact]
    public async Task InfluxQl_without_a_database_says_where_it_goes()
    {
        using var services = new TestServices();

        var result = await Provider(services, influx.Server.Url.ToString()).RunQueryAsync("SELECT 1", CancellationToken.None);

        Assert.Equal("influxdb: an InfluxQL query needs the database as the address' db parameter (e.g. http://influxdb:8086?db=telegraf)", result.Detail);
    }

    [Fact]
    public async Task Flux_goes_to_the_v2_query_api_with_the_token_and_reads_the_first_value()
    {
        var api = new InfluxDb2Api { Csv = InfluxDb2Api.Table(("_value", "long", "7")) };
        await using var server = await InfluxDb2Api.StartAsync(api);
        using var services = new TestServices();
        var provider = Provider(services, server.BaseAddress.ToString(), [("token", InfluxDb2Api.Token), ("org", "canary")]);

        var result = await provider.RunQueryAsync("from(bucket: \"default\")\n  |> range(start: -1m)\n  |> count()", CancellationToken.None);

        Assert.Equal(7, result.Value);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/v2/query", request.Path);
        Assert.Equal("?org=canary", request.Query);
        Assert.Equal("from(bucket: \"default\")\n  |> range(start: -1m)\n  |> count()", SentQuery(request.Body));
    }

    [Fact]
    public async Task Flux_without_records_is_no_data_and_a_compile_error_is_influxdbs_message_without_the_token()
    {
        var api = new InfluxDb2Api { Csv = "\r\n" };
        await using var server = await InfluxDb2Api.StartAsync(api);
        using var services = new TestServices();

        var empty = await Provider(services, server.BaseAddress.ToString(), [("token", InfluxDb2Api.Token)]).RunQueryAsync("from(bucket: \"x\") |> range(start: -1m)", CancellationToken.None);
        var broken = await Provider(services, server.BaseAddress.ToString(), [("token", InfluxDb2Api.Token)]).RunQueryAsync("from(bucket: \"x\") |> rang(start: -1m)", CancellationToken.None);
        var unauthorized = await Provider(services, server.BaseAddress.ToString(), [("token", "wrong-token-value")]).RunQueryAsync("from(bucket: \"x\") |> range(start: -1m)", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.NoData, empty.Status);
        Assert.Equal(MetricQueryStatus.Error, broken.Status);
        Assert.Contains("answered 400: error calling function \"rang\"", broken.Detail, StringComparison.Ordinal);
        Assert.Equal(MetricQueryStatus.Error, unauthorized.Status);
        Assert.Contains("answered 401: unauthorized access", unauthorized.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token-value", unauthorized.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flaggers_documented_template_works_with_only_the_api_version_changed()
    {
        var api = new InfluxDb2Api { Csv = InfluxDb2Api.Table(("_value", "long", "0")) };
        await using var server = await InfluxDb2Api.StartAsync(api);
        using var services = new TestServices();
        var template = FlaggerTemplates.Load(FlaggerDocsTemplate, server.BaseAddress);

        var result = await FlaggerTemplates.CheckAsync(services, template, VendorSecrets.Of(("token", InfluxDb2Api.Token)), "not-found", max: 1);

        Assert.True(result.Passed, result.Message);
        Assert.Contains("|> filter(fn: (r) => r[\"destination_workload\"] == \"podinfo\")\n", SentQuery(Assert.Single(server.Requests).Body), StringComparison.Ordinal);
    }

    // docs/gitbook/usage/metrics.md, "InfluxDB" (Flagger 1.44; its example has no address, which Flagger itself requires).
    private const string FlaggerDocsTemplate = """
        apiVersion: flagger.app/v1beta1
        kind: MetricTemplate
        metadata:
          name: not-found
          namespace: test
        spec:
          provider:
            type: influxdb
            secretRef:
              name: influx-token
          query: |
            from(bucket: "default")
            |> range(start: -2h)
            |> filter(fn: (r) => r["_measurement"] == "istio_requests_total")
            |> filter(fn: (r) => r[" destination_workload_namespace"] == "{{ namespace }}")
            |> filter(fn: (r) => r["destination_workload"] == "{{ target }}")
            |> filter(fn: (r) => r["response_code"] == "500")
            |> count()
            |> yield(name: "count")
        """;

    private static string SentQuery(string body) => (string)System.Text.Json.Nodes.JsonNode.Parse(body)!["query"]!;

    private static string Point(string measurementTagsFields, DateTimeOffset at) =>
        $"{measurementTagsFields} {(at.ToUnixTimeMilliseconds() * 1_000_000).ToString(CultureInfo.InvariantCulture)}";
}
