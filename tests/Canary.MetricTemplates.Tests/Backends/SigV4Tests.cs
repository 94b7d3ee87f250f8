using System.Net.Http.Headers;
using System.Text;
using Canary.MetricTemplates.Providers.Backends;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// <see cref="AwsSigV4"/> against AWS's Signature Version 4 test suite ("aws-sig-v4-test-suite", formerly
/// https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html; copied here from its mirror in
/// bazelbuild/bazel, third_party/aws-sig-v4-test-suite, Copyright 2017 Amazon.com, Inc. or its affiliates, Apache-2.0).
/// Every case signs as AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, region us-east-1, service "service", at
/// 20150830T123600Z; the expected values are the suite's .creq, .sts and .authz files verbatim.
/// </summary>
public sealed class SigV4Tests
{
    private static readonly AwsCredentials Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private const string Scope = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

    // post-sts-token/readme.txt: the example session token of the suite.
    private const string SessionToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    private static readonly (string Name, string Value)[] VanillaHeaders = [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")];

    /// <summary>(case, method, path, query, extra headers, body, signed headers, signature) of the suite's .req and .authz files.</summary>
    public static TheoryData<string, string, string, string, string[], string, string, string> Vectors => new()
    {
        { "get-vanilla", "GET", "/", "", [], "", "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "post-vanilla", "POST", "/", "", [], "", "host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
        { "get-vanilla-query-order-key", "GET", "/", "Param1=value2&Param1=Value1", [], "", "host;x-amz-date", "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1" },
        {
            "get-vanilla-query-unreserved", "GET", "/",
            "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            [], "", "host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"
        },
        { "get-vanilla-utf8-query", "GET", "/", "\u1234=bar", [], "", "host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04" },
        {
            "get-header-value-trim", "GET", "/", "", ["My-Header1: value1", "My-Header2: \"a   b   c\""], "",
            "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
        },
        {
            "post-sts-header-before", "POST", "/", "", [$"X-Amz-Security-Token:{SessionToken}"], "",
            "host;x-amz-date;x-amz-security-token", "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"
        },
        {
            "post-x-www-form-urlencoded", "POST", "/", "", ["Content-Type:application/x-www-form-urlencoded"], "Param1=value1",
            "content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
        },
        {
            "post-x-www-form-urlencoded-parameters", "POST", "/", "", ["Content-Type:application/x-www-form-urlencoded; charset=utf8"], "Param1=value1",
            "content-type;host;x-amz-date", "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Each_vector_of_the_test_suite_signs_as_published(
        string name, string method, string path, string query, string[] headers, string body, string signedHeaders, string signature)
    {
        var all = VanillaHeaders.Concat(headers.Select(h => h.Split(':', 2)).Select(h => (h[0], h[1])));

        var authorization = AwsSigV4.Authorization(method, path, query, all, Encoding.UTF8.GetBytes(body), Example, "us-east-1", "service", SignedAt);

        Assert.True(authorization == $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders={signedHeaders}, Signature={signature}", $"{name}: {authorization}");
    }

    [Fact]
    public void The_canonical_request_and_string_to_sign_match_the_suite_step_by_step()
    {
        // post-x-www-form-urlencoded.creq and .sts.
        var headers = AwsSigV4.CanonicalHeaders([.. VanillaHeaders, ("Content-Type", "application/x-www-form-urlencoded")]);
        var canonical = AwsSigV4.CanonicalRequest("POST", "/", "", headers, AwsSigV4.HexSha256("Param1=value1"u8.ToArray()));
        var stringToSign = AwsSigV4.StringToSign(SignedAt, AwsSigV4.Scope(SignedAt, "us-east-1", "service"), canonical);

        Assert.Equal(
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n" +
            "content-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e", canonical);
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
            stringToSign);

        // get-vanilla-query-order-key.creq and .sts: parameters sorted by name, then value.
        var query = AwsSigV4.CanonicalRequest("GET", "/", "Param1=value2&Param1=Value1", AwsSigV4.CanonicalHeaders(VanillaHeaders), AwsSigV4.HexSha256([]));
        Assert.Equal(
            "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", query);
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
            AwsSigV4.StringToSign(SignedAt, AwsSigV4.Scope(SignedAt, "us-east-1", "service"), query));
    }

    [Fact]
    public void Signing_an_HttpRequestMessage_covers_what_HttpClient_sends()
    {
        // post-x-www-form-urlencoded, built as the CloudWatch backend builds its requests.
        var body = "Param1=value1"u8.ToArray();
        using var form = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/") { Content = new ByteArrayContent(body) };
        form.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        // post-sts-header-before: the session token is a signed header.
        using var sts = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");

        AwsSigV4.Sign(form, body, Example, "us-east-1", "service", SignedAt);
        AwsSigV4.Sign(sts, [], Example with { SessionToken = SessionToken }, "us-east-1", "service", SignedAt);

        Assert.Equal("20150830T123600Z", Assert.Single(form.Headers.GetValues("X-Amz-Date")));
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            Assert.Single(form.Headers.GetValues("Authorization")));
        Assert.Equal(SessionToken, Assert.Single(sts.Headers.GetValues("X-Amz-Security-Token")));
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
            Assert.Single(sts.Headers.GetValues("Authorization")));
    }

    [Fact]
    public void Credentials_never_print_their_secrets()
    {
        var text = (Example with { SessionToken = SessionToken }).ToString();

        Assert.Contains("AKIDEXAMPLE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("EXAMPLEKEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AQoDYXdz", text, StringComparison.Ordinal);
    }
}
