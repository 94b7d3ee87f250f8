using System.Text;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Tests.Fixtures;

namespace Canary.MetricTemplates.Tests.Providers;

/// <summary>The provider's HTTP behaviour against a loopback server that records requests.</summary>
public sealed class PrometheusProviderHttpTests
{
    private static Dictionary<string, byte[]> Secret(params (string Key, string Value)[] data) =>
        data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value));

    [Fact]
    public async Task Bearer_token_from_the_secret_is_sent()
    {
        await using var server = new LoopbackHttpServer(_ => LoopbackHttpServer.Vector("1"));
        using var services = new TestServices();

        var result = await services.Prometheus(server.BaseAddress.ToString(), Secret(("token", "abc123\n"))).RunQueryAsync("up", CancellationToken.None);

        Assert.Equal(1d, result.Value);
        Assert.Equal("Bearer abc123", Assert.Single(server.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task Basic_auth_from_username_and_password()
    {
        await using var server = new LoopbackHttpServer(_ => LoopbackHttpServer.Vector("1"));
        using var services = new TestServices();

        await services.Prometheus(server.BaseAddress.ToString(), Secret(("username", "flagger"), ("password", "pa:ss"))).RunQueryAsync("up", CancellationToken.None);

        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("flagger:pa:ss")), Assert.Single(server.Requests).Headers["Authorization"]);
    }

    [Fact]
    public void Secret_without_token_or_username_is_rejected_in_Flaggers_words()
    {
        using var services = new TestServices();
        var ex = Assert.Throws<MetricProviderException>(() => services.Prometheus("http://127.0.0.1:9090", Secret(("password", "x"))));
        Assert.Equal("prometheus credentials does not contain a username", ex.Message);
    }

    [Fact]
    public async Task No_secret_sends_no_authorization_but_custom_headers_and_keeps_the_path_prefix()
    {
        await using var server = new LoopbackHttpServer(_ => LoopbackHttpServer.Vector("42"));
        using var services = new TestServices();
        var provider = services.Factory.Create(new MetricProviderSpec
        {
            Address = new Uri(server.BaseAddress, "prometheus/").ToString(),
            Headers = new Dictionary<string, IReadOnlyList<string>> { ["X-Scope-OrgID"] = ["tenant-a"] },
        });

        var result = await provider.RunQueryAsync("sum(\n    rate(x[1m])\n)", CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal(42d, result.Value);
        Assert.Null(request.Headers["Authorization"]);
        Assert.Equal("tenant-a", request.Headers["X-Scope-OrgID"]);
        Assert.StartsWith("/prometheus/api/v1/query?query=", request.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("sum( rate(x[1m]) )", request.Query);
    }

    [Fact]
    public async Task Transient_503_is_retried()
    {
        var calls = 0;
        await using var server = new LoopbackHttpServer(_ =>
            Interlocked.Increment(ref calls) == 1 ? new CannedResponse(503, "overloaded") : LoopbackHttpServer.Vector("7"));
        using var services = new TestServices();

        var result = await services.Prometheus(server.BaseAddress.ToString()).RunQueryAsync("up", CancellationToken.None);

        Assert.Equal(7d, result.Value);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Persistent_503_is_unreachable_after_retries()
    {
        await using var server = new LoopbackHttpServer(_ => new CannedResponse(503, "overloaded"));
        using var services = new TestServices();

        var result = await services.Prometheus(server.BaseAddress.ToString()).RunQueryAsync("up", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Unreachable, result.Status);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Bad_query_is_an_error_with_Prometheus_reason_and_not_retried()
    {
        await using var server = new LoopbackHttpServer(_ =>
            new CannedResponse(400, """{"status":"error","errorType":"bad_data","error":"1:5: parse error"}"""));
        using var services = new TestServices();

        var result = await services.Prometheus(server.BaseAddress.ToString()).RunQueryAsync("sum(", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Error, result.Status);
        Assert.Contains("parse error", result.Detail, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Connection_refused_is_unreachable()
    {
        using var services = new TestServices();

        var result = await services.Prometheus($"http://127.0.0.1:{FreePort.Next()}").RunQueryAsync("up", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Unreachable, result.Status);
        Assert.False(result.HasValue);
    }

    [Theory]
    [InlineData("")]
    [InlineData("prometheus:9090")]
    [InlineData("ftp://prometheus")]
    public void Invalid_address_is_rejected(string address)
    {
        using var services = new TestServices();
        Assert.Throws<MetricProviderException>(() => services.Prometheus(address));
    }

    /// <summary>Flagger's provider types no backend is registered for yet.</summary>
    public static TheoryData<string> Unimplemented()
    {
        var data = new TheoryData<string>();
        foreach (var type in Canary.Api.V1Beta1.MetricProviderTypes.All.Except(MetricBackendRegistry.Default.Types))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Unimplemented))]
    public void Other_Flagger_provider_types_are_not_supported_yet(string type)
    {
        using var services = new TestServices();
        var ex = Assert.Throws<MetricProviderException>(() => services.Factory.Create(new MetricProviderSpec { Type = type, Address = "https://x" }));
        Assert.Equal($"metric provider type not supported yet: {type}", ex.Message);
    }

    [Fact]
    public void Unknown_provider_type_is_an_error_not_a_silent_prometheus()
    {
        using var services = new TestServices();
        var ex = Assert.Throws<MetricProviderException>(() => services.Factory.Create(new MetricProviderSpec { Type = "prometheuss", Address = "http://x" }));
        Assert.Contains("unknown metric provider type: prometheuss", ex.Message, StringComparison.Ordinal);
    }
}
