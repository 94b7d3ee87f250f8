using Canary.Api.Validation;
using Canary.Api.V1Beta1;
using Canary.Rollout.Engine;

namespace Canary.Rollout.Tests.Support;

/// <summary>
/// An A/B match a provider cannot write into its objects is refused at its path, from the provider registry: a field it
/// never reads would otherwise send requests it was meant to exclude to the canary.
/// </summary>
public sealed class MatchValidationTests
{
    private static ApiValidationResult Validate(string provider, params HttpMatchRequest[] matches)
    {
        var canary = new CanaryResource
        {
            Metadata = new() { Name = "podinfo", NamespaceProperty = "test" },
            Spec = new CanarySpec
            {
                Provider = provider,
                TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = TargetKinds.Deployment, Name = "podinfo" },
                Service = new CanaryService { Port = 9898, GatewayRefs = provider.StartsWith("gatewayapi", StringComparison.Ordinal) ? [new ParentReference { Name = "gw" }] : null },
                Analysis = new CanaryAnalysis { Interval = "30s", Threshold = 2, Iterations = 5, Match = matches },
            },
        };
        return CanaryValidation.Validate(canary, ControllerSupport.For(provider));
    }

    private static Dictionary<string, StringMatch> Header(string name, StringMatch value) => new() { [name] = value };

    [Fact]
    public void A_field_the_provider_never_routes_on_is_refused_naming_the_providers_that_do()
    {
        var result = Validate("contour", new HttpMatchRequest
        {
            Headers = Header("x-canary", new() { Exact = "insider" }),
            SourceLabels = new Dictionary<string, string> { ["app"] = "frontend" },
            Uri = new StringMatch { Prefix = "/api" },
        });

        Assert.Equal(["spec.analysis.match[0].sourceLabels", "spec.analysis.match[0].uri"], result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Equal("is not used by provider contour for A/B routing (used by: gatewayapi, gatewayapi:v1, gatewayapi:v1beta1, istio)",
            result.Errors.Single(e => e.Path.EndsWith(".uri", StringComparison.Ordinal)).Message);
    }

    [Fact]
    public void Istio_takes_every_field_and_gateway_api_its_own()
    {
        var everything = new HttpMatchRequest
        {
            Headers = Header("x-canary", new() { Exact = "insider" }),
            SourceLabels = new Dictionary<string, string> { ["app"] = "frontend" },
            Uri = new StringMatch { Prefix = "/api" },
            Method = new StringMatch { Exact = "GET" },
        };

        Assert.True(Validate("istio", everything).IsValid);
        Assert.Equal(["spec.analysis.match[0].sourceLabels"], Validate("gatewayapi:v1", everything).Errors.Select(e => e.Path));
        Assert.Equal(["spec.analysis.match[0].method", "spec.analysis.match[0].sourceLabels", "spec.analysis.match[0].uri.suffix"],
            Validate("gatewayapi:v1", new HttpMatchRequest { Uri = new() { Suffix = ".css" }, Method = new() { Prefix = "G" }, SourceLabels = everything.SourceLabels })
                .Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Nginx_routes_on_one_header_and_one_cookie_exact_or_by_regex()
    {
        Assert.True(Validate("nginx",
            new HttpMatchRequest { Headers = Header("x-canary", new() { Regex = "^insider$" }) },
            new HttpMatchRequest { Headers = Header("cookie", new() { Exact = "canary" }) }).IsValid);

        var result = Validate("nginx",
            new HttpMatchRequest { Headers = Header("x-canary", new() { Exact = "insider" }) },
            new HttpMatchRequest { Headers = Header("x-user", new() { Exact = "beta" }) },
            new HttpMatchRequest { Headers = Header("x-region", new() { Prefix = "eu" }) });

        Assert.Equal(
            ["spec.analysis.match[1].headers.x-user: nginx routes on one header (canary-by-header), already x-canary",
             "spec.analysis.match[2].headers.x-region: nginx matches a header exactly (canary-by-header-value) or by regex (canary-by-header-pattern)"],
            result.Errors.Select(e => $"{e.Path}: {e.Message}"));
    }

    [Fact]
    public void Contour_refuses_a_header_regex_and_gloo_a_method_that_is_not_exact()
    {
        Assert.Equal("spec.analysis.match[0].headers.x-canary.regex: contour cannot match a header by regex: use exact, prefix or suffix",
            Validate("contour", new HttpMatchRequest { Headers = Header("x-canary", new() { Regex = "in.*" }) }).Summary);
        Assert.Equal("spec.analysis.match[0].method: gloo matches a method exactly only",
            Validate("gloo", new HttpMatchRequest { Method = new() { Regex = "GET|HEAD" } }).Summary);
    }
}
