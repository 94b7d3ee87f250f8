using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Providers.Backends;
using Canary.MetricTemplates.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>The cloudwatch backend against <see cref="CloudWatchApi"/>, a server that checks SigV4 and answers as CloudWatch's API reference says.</summary>
public sealed class CloudWatchProviderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 30, TimeSpan.Zero);
    private static readonly DateTimeOffset Minute = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);

    // An error rate of two metrics, one field in another case and one CloudWatch does not know (Go's json takes the
    // first and drops the second).
    private const string ErrorRate = """
        [
          { "Id": "e1", "Expression": "m1 / m2", "Label": "ErrorRate" },
          { "id": "m1", "MetricStat": { "Metric": { "Namespace": "MyKubernetesCluster", "MetricName": "ErrorCount",
              "Dimensions": [ { "Name": "appName", "Value": "podinfo.test" } ] }, "Period": 60, "Stat": "Sum", "Unit": "Count" },
            "ReturnData": false, "Comment": "dropped" },
          { "Id": "m2", "MetricStat": { "Metric": { "Namespace": "MyKubernetesCluster", "MetricName": "RequestCount",
              "Dimensions": [ { "Name": "appName", "Value": "podinfo.test" } ] }, "Period": 60, "Stat": "Sum", "Unit": "Count" },
            "returnData": false }
        ]
        """;

    private static (string, string)[] Secret(string? secret = null, string? token = null) =>
    [
        ("aws_access_key_id", CloudWatchApi.AccessKeyId),
        ("aws_secret_access_key", secret ?? CloudWatchApi.SecretAccessKey),
        .. token is null ? Array.Empty<(string, string)>() : [("aws_session_token", token)],
    ];

    private static IMetricProvider Provider(TestServices services, Uri address, (string, string)[]? secret = null, string region = CloudWatchApi.DefaultRegion) =>
        services.Factory.Create(new MetricProviderSpec
        {
            Type = MetricProviderTypes.CloudWatch,
            Address = address.ToString(),
            Region = region,
            Interval = TimeSpan.FromMinutes(1),
            Credentials = VendorSecrets.Of(secret ?? Secret()),
        });

    [Fact]
    public async Task The_request_is_a_signed_GetMetricData_over_ten_metric_intervals_and_the_value_the_first_results_newest_point()
    {
        var api = new CloudWatchApi(_clock.GetUtcNow);
        api.Data["e1"] = [(Minute.AddMinutes(-2), 0.5), (Minute.AddMinutes(-1), 0.25), (Minute, 0.125)];
        await using var server = await api.StartAsync();
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, server.BaseAddress).RunQueryAsync(ErrorRate, CancellationToken.None);

        // Ten intervals back from 12:00:30 (CloudWatch publishes late), the newest period first.
        Assert.Equal(0.125, result.Value);
        var call = Assert.Single(api.Calls);
        Assert.Equal("GetMetricData", call["Action"]);
        Assert.Equal("2010-08-01", call["Version"]);
        Assert.Equal("2026-12-05T11:50:30Z", call["StartTime"]);
        Assert.Equal("2026-12-05T12:00:30Z", call["EndTime"]);
        Assert.Equal("TimestampDescending", call["ScanBy"]);
        Assert.Equal("m1 / m2", call["MetricDataQueries.member.1.Expression"]);
        Assert.Equal("m1", call["MetricDataQueries.member.2.Id"]);
        Assert.Equal("appName", call["MetricDataQueries.member.2.MetricStat.Metric.Dimensions.member.1.Name"]);
        Assert.Equal("podinfo.test", call["MetricDataQueries.member.3.MetricStat.Metric.Dimensions.member.1.Value"]);
        Assert.Equal("60", call["MetricDataQueries.member.3.MetricStat.Period"]);
        Assert.Equal("false", call["MetricDataQueries.member.3.ReturnData"]);
        Assert.DoesNotContain(call.Keys, k => k.Contains("Comment", StringComparison.Ordinal));
        var request = Assert.Single(server.Requests);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("20261205T120030Z", request.Headers["X-Amz-Date"]);
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={CloudWatchApi.AccessKeyId}/20261205/eu-west-1/monitoring/aws4_request, SignedHeaders=content-type;host;x-amz-date, ",
            request.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_are_followed_while_the_first_result_has_no_point_yet()
    {
        var api = new CloudWatchApi(_clock.GetUtcNow) { InternalErrorOnce = true, PageSize = 1 };
        api.Data["e1"] = [(Minute.AddMinutes(-1), 3), (Minute, 4)];
        await using var server = await api.StartAsync();
        using var services = new TestServices(time: _clock);
        var provider = Provider(services, server.BaseAddress);

        // First page: InternalError and a NextToken to retry with; second: the newest point, PartialData.
        var retried = await provider.RunQueryAsync(ErrorRate, CancellationToken.None);
        // One point a page: the newest is on the first page, nothing more is asked.
        var paged = await provider.RunQueryAsync(ErrorRate, CancellationToken.None);

        Assert.Equal(4, retried.Value);
        Assert.Equal(4, paged.Value);
        Assert.Equal(3, api.Calls.Count);
        Assert.False(api.Calls[0].ContainsKey("NextToken"));
        Assert.Equal("retry-0", api.Calls[1]["NextToken"]);
        Assert.False(api.Calls[2].ContainsKey("NextToken"));
    }

    [Fact]
    public async Task No_point_or_no_returned_result_is_no_data()
    {
        var api = new CloudWatchApi(_clock.GetUtcNow);
        api.Data["e1"] = [(Minute.AddMinutes(-15), 1)];
        await using var server = await api.StartAsync();
        using var services = new TestServices(time: _clock);
        var provider = Provider(services, server.BaseAddress);

        // Older than the ten intervals asked for.
        var old = await provider.RunQueryAsync(ErrorRate, CancellationToken.None);
        var hidden = await provider.RunQueryAsync(ErrorRate.Replace("\"Label\": \"ErrorRate\"", "\"ReturnData\": false", StringComparison.Ordinal), CancellationToken.None);

        Assert.Equal(MetricQueryStatus.NoData, old.Status);
        Assert.Equal("cloudwatch returned no data points for e1 from 2026-12-05T11:50:30Z to 2026-12-05T12:00:30Z", old.Detail);
        Assert.Equal(MetricQueryStatus.NoData, hidden.Status);
        Assert.Equal("cloudwatch returned no MetricDataResults", hidden.Detail);
    }

    [Fact]
    public async Task A_bad_query_is_an_error_in_awss_or_flaggers_words()
    {
        var api = new CloudWatchApi(_clock.GetUtcNow);
        await using var server = await api.StartAsync();
        using var services = new TestServices(time: _clock);
        var provider = Provider(services, server.BaseAddress);

        var expression = await provider.RunQueryAsync("""[{ "Id": "e1", "Expression": "SUM(METRICS()" }]""", CancellationToken.None);
        var notAList = await provider.RunQueryAsync("""{ "Id": "e1" }""", CancellationToken.None);
        var wrongType = await provider.RunQueryAsync("""[{ "Id": "m1", "MetricStat": { "Period": "60" } }]""", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Error, expression.Status);
        Assert.Equal("cloudwatch 127.0.0.1 answered ValidationError: Error in expression 'e1': Syntax error", expression.Detail);
        Assert.Equal("cloudwatch: error unmarshaling query: cannot unmarshal object into a list of MetricDataQuery", notAList.Detail);
        Assert.Equal("cloudwatch: error unmarshaling query: cannot unmarshal string into MetricDataQuery[0].MetricStat.Period of type integer", wrongType.Detail);
        Assert.Single(api.Calls);
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_by_aws_and_never_echoed_and_IsOnline_tells_both_ways()
    {
        var api = new CloudWatchApi(_clock.GetUtcNow);
        await using var server = await api.StartAsync();
        using var services = new TestServices(time: _clock);
        const string WrongSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY99";

        var badSecret = await Provider(services, server.BaseAddress, Secret(WrongSecret)).RunQueryAsync(ErrorRate, CancellationToken.None);
        var badKey = await Provider(services, server.BaseAddress, [("aws_access_key_id", "AKIAUNKNOWNKEY000000"), ("aws_secret_access_key", WrongSecret)])
            .RunQueryAsync(ErrorRate, CancellationToken.None);
        var badRegion = await Provider(services, server.BaseAddress, region: "us-east-1").RunQueryAsync(ErrorRate, CancellationToken.None);
        var offline = await Provider(services, server.BaseAddress, Secret(WrongSecret)).IsOnlineAsync(CancellationToken.None);
        var online = await Provider(services, server.BaseAddress).IsOnlineAsync(CancellationToken.None);

        Assert.Equal(
            "cloudwatch 127.0.0.1 answered SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. " +
            "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", badSecret.Detail);
        Assert.Equal(MetricQueryStatus.Error, badSecret.Status);
        Assert.Equal("cloudwatch 127.0.0.1 answered InvalidClientTokenId: The security token included in the request is invalid.", badKey.Detail);
        Assert.Contains("Credential should be scoped to a valid region", badRegion.Detail, StringComparison.Ordinal);
        Assert.False(offline.IsOnline);
        Assert.StartsWith("cloudwatch 127.0.0.1 answered SignatureDoesNotMatch", offline.Reason, StringComparison.Ordinal);
        Assert.True(online.IsOnline, online.Reason);
        // Flagger's probe: no queries at all, which an authenticated caller gets a ValidationError for.
        Assert.Equal(string.Empty, Assert.Single(api.Calls)["MetricDataQueries"]);
        foreach (var text in new[] { badSecret.Detail, badKey.Detail, badRegion.Detail, offline.Reason })
        {
            Assert.DoesNotContain("WRONGKEY", text, StringComparison.Ordinal);
            Assert.DoesNotContain("CANARYKEY", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_error_page_echoing_the_request_shows_stars_where_the_credentials_were()
    {
        // A proxy in front of AWS that dumps the request into its error page, session token included.
        await using var proxy = await Canary.Testing.Http.LoopbackServer.StartAsync((request, _) =>
            new Canary.Testing.Http.ServerReply(400, $"bad request: {request.Authorization} token={request.Headers.GetValueOrDefault("X-Amz-Security-Token")}"));
        using var services = new TestServices(time: _clock);

        var result = await Provider(services, proxy.BaseAddress, Secret(token: "FQoGZXIvYXdzEXAMPLESESSIONTOKEN")).RunQueryAsync(ErrorRate, CancellationToken.None);

        Assert.StartsWith("cloudwatch 127.0.0.1 answered 400: bad request: AWS4-HMAC-SHA256 Credential=***/20261205/eu-west-1/monitoring/aws4_request", result.Detail, StringComparison.Ordinal);
        Assert.EndsWith("token=***", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Temporary_credentials_send_their_session_token()
    {
        var api = new CloudWatchApi(_clock.GetUtcNow) { SessionToken = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN" };
        api.Data["e1"] = [(Minute, 2)];
        await using var server = await api.StartAsync();
        using var services = new TestServices(time: _clock);

        var withToken = await Provider(services, server.BaseAddress, Secret(token: api.SessionToken)).RunQueryAsync(ErrorRate, CancellationToken.None);
        var without = await Provider(services, server.BaseAddress).RunQueryAsync(ErrorRate, CancellationToken.None);

        Assert.Equal(2, withToken.Value);
        Assert.Contains("x-amz-security-token", server.Requests[0].Authorization, StringComparison.Ordinal);
        Assert.Equal("cloudwatch 127.0.0.1 answered InvalidClientTokenId: The security token included in the request is invalid.", without.Detail);
    }

    [Fact]
    public async Task Throttling_is_retried_with_backoff_and_unreachable_when_it_persists()
    {
        // On the real clock: the retries wait their backoff for real.
        var api = new CloudWatchApi(() => DateTimeOffset.UtcNow) { Throttled = 1 };
        api.Data["e1"] = [(DateTimeOffset.UtcNow.AddSeconds(-20), 7)];
        await using var server = await api.StartAsync();
        using var services = new TestServices();
        var provider = Provider(services, server.BaseAddress);

        var once = await provider.RunQueryAsync(ErrorRate, CancellationToken.None);
        api.Throttled = 10;
        var always = await provider.RunQueryAsync(ErrorRate, CancellationToken.None);

        Assert.Equal(7, once.Value);
        Assert.Equal(MetricQueryStatus.Unreachable, always.Status);
        Assert.Equal("cloudwatch 127.0.0.1 answered Throttling: Rate exceeded", always.Detail);
        Assert.Equal(2 + 3, api.Calls.Count);
    }

    [Fact]
    public async Task Without_a_secretRef_the_environment_gives_the_credentials_and_what_is_missing_is_named()
    {
        var api = new CloudWatchApi(_clock.GetUtcNow);
        api.Data["e1"] = [(Minute, 1.5)];
        await using var server = await api.StartAsync();
        using var standalone = new StandaloneBackend();
        var context = standalone.Context(_clock);
        var spec = new MetricProviderSpec { Type = MetricProviderTypes.CloudWatch, Address = server.BaseAddress.ToString(), Region = CloudWatchApi.DefaultRegion };

        var fromEnvironment = await CloudWatchProvider.Create(context, spec,
                StandaloneBackend.Environment(("AWS_ACCESS_KEY_ID", CloudWatchApi.AccessKeyId), ("AWS_SECRET_ACCESS_KEY", CloudWatchApi.SecretAccessKey)))
            .RunQueryAsync(ErrorRate, CancellationToken.None);
        var secretWins = Assert.Throws<MetricProviderException>(() => CloudWatchProvider.Create(context,
            spec with { Credentials = VendorSecrets.Of(("aws_access_key_id", "AKIA")) },
            StandaloneBackend.Environment(("AWS_ACCESS_KEY_ID", CloudWatchApi.AccessKeyId), ("AWS_SECRET_ACCESS_KEY", CloudWatchApi.SecretAccessKey))));
        var noKeyId = Assert.Throws<MetricProviderException>(() => CloudWatchProvider.Create(context,
            spec with { Credentials = VendorSecrets.Of(("aws_secret_access_key", "s")) }, StandaloneBackend.Environment()));
        var irsa = Assert.Throws<MetricProviderException>(() => CloudWatchProvider.Create(context, spec,
            StandaloneBackend.Environment(("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"))));
        var noRegion = Assert.Throws<MetricProviderException>(() => CloudWatchProvider.Create(context, spec with { Region = null }, StandaloneBackend.Environment()));

        Assert.Equal(1.5, fromEnvironment.Value);
        Assert.Equal("cloudwatch credentials does not contain aws_secret_access_key", secretWins.Message);
        Assert.Equal("cloudwatch credentials does not contain aws_access_key_id", noKeyId.Message);
        Assert.StartsWith("cloudwatch has no AWS credentials (AWS_WEB_IDENTITY_TOKEN_FILE is set: web identity / IRSA credentials are not supported)", irsa.Message, StringComparison.Ordinal);
        Assert.Equal("cloudwatch region not specified (spec.provider.region)", noRegion.Message);
    }

    [Fact]
    public void The_default_endpoint_is_the_regions_monitoring_endpoint()
    {
        Assert.Equal("https://monitoring.ap-northeast-1.amazonaws.com", CloudWatchProvider.DefaultAddress("ap-northeast-1"));
        Assert.Equal("https://monitoring.cn-north-1.amazonaws.com.cn", CloudWatchProvider.DefaultAddress("cn-north-1"));
    }

    [Fact]
    public async Task Flaggers_documented_template_works_with_only_the_api_version_changed()
    {
        var api = new CloudWatchApi(_clock.GetUtcNow, "ap-northeast-1");
        api.Data["e1"] = [(Minute.AddMinutes(-1), 0.2), (Minute, 0.05)];
        await using var server = await api.StartAsync();
        using var services = new TestServices(time: _clock);

        // The docs' template is still flagger.app/v1alpha1; it has no namespace (kubectl apply -n test puts it beside
        // the Canary) and no secretRef: Flagger takes the controller's AWS credentials, as this does from its environment.
        var template = FlaggerTemplates.Load(FlaggerDocsTemplate.Replace("apiVersion: flagger.app/v1alpha1", "apiVersion: canary.dev/v1beta1", StringComparison.Ordinal), server.BaseAddress);
        template.Metadata.NamespaceProperty = "test";
        var saved = (Id: Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Secret: Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", CloudWatchApi.AccessKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", CloudWatchApi.SecretAccessKey);
        Canary.MetricTemplates.Analysis.MetricCheckResult result;
        try
        {
            result = await FlaggerTemplates.CheckAsync(services, template, VendorSecrets.Of(), "app error rate", max: 0.1);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", saved.Id);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", saved.Secret);
        }

        Assert.True(result.Passed, result.Message);
        Assert.Equal(0.05, result.Value);
        var call = Assert.Single(api.Calls);
        Assert.Equal("podinfo.test", call["MetricDataQueries.member.2.MetricStat.Metric.Dimensions.member.1.Value"]);
        Assert.Equal("ErrorCount", call["MetricDataQueries.member.2.MetricStat.Metric.MetricName"]);
        Assert.Equal("Count", call["MetricDataQueries.member.3.MetricStat.Unit"]);
        Assert.Contains("/ap-northeast-1/monitoring/aws4_request", Assert.Single(server.Requests).Authorization, StringComparison.Ordinal);
    }

    // docs/gitbook/usage/metrics.md, "Amazon CloudWatch" (Flagger 1.44), verbatim.
    private const string FlaggerDocsTemplate = """
        apiVersion: flagger.app/v1alpha1
        kind: MetricTemplate
        metadata:
          name: cloudwatch-error-rate
        spec:
          provider:
            type: cloudwatch
            region: ap-northeast-1 # specify the region of your metrics
          query: |
            [
                {
                    "Id": "e1",
                    "Expression": "m1 / m2",
                    "Label": "ErrorRate"
                },
                {
                    "Id": "m1",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": "MyKubernetesCluster",
                            "MetricName": "ErrorCount",
                            "Dimensions": [
                                {
                                    "Name": "appName",
                                    "Value": "{{ name }}.{{ namespace }}"
                                }
                            ]
                        },
                        "Period": 60,
                        "Stat": "Sum",
                        "Unit": "Count"
                    },
                    "ReturnData": false
                },
                {
                    "Id": "m2",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": "MyKubernetesCluster",
                            "MetricName": "RequestCount",
                            "Dimensions": [
                                {
                                    "Name": "appName",
                                    "Value": "{{ name }}.{{ namespace }}"
                                }
                            ]
                        },
                        "Period": 60,
                        "Stat": "Sum",
                        "Unit": "Count"
                    },
                    "ReturnData": false
                }
            ]
        """;
}
