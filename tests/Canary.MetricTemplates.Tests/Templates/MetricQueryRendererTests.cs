using Canary.MetricTemplates.Templates;
using Canary.MetricTemplates.Tests.Fixtures;

namespace Canary.MetricTemplates.Tests.Templates;

public sealed class MetricQueryRendererTests
{
    private static readonly MetricTemplateModel Model = new()
    {
        Name = "podinfo-canary",
        Namespace = "test",
        Target = "podinfo",
        Service = "podinfo-svc",
        Ingress = "podinfo-ingress",
        Route = "podinfo-route",
        Interval = "1m",
        Variables = new Dictionary<string, string> { ["direction"] = "inbound", ["cluster"] = "eu-1" },
    };

    private readonly MetricQueryRenderer _renderer = new();

    [Theory]
    [InlineData("{{ namespace }}", "test")]
    [InlineData("{{namespace}}", "test")]
    [InlineData("{{ target }}", "podinfo")]
    [InlineData("[{{ interval }}]", "[1m]")]
    [InlineData("{{ name }}/{{ service }}/{{ ingress }}/{{ route }}", "podinfo-canary/podinfo-svc/podinfo-ingress/podinfo-route")]
    [InlineData("{{ variables.direction }}", "inbound")]
    [InlineData("{{ index variables \"cluster\" }}", "eu-1")]
    [InlineData("a {{- namespace -}} b", "atestb")]
    [InlineData("{{/* Go comment */}}x", "x")]
    [InlineData("{service:{{ target }}}", "{service:podinfo}")]
    public void Renders_Flagger_template_syntax_like_Go(string template, string expected) =>
        Assert.Equal(expected, _renderer.Render(template, Model));

    [Fact]
    public void Renders_a_Flagger_docs_MetricTemplate_with_variables()
    {
        const string query = """
            sum(
                rate(
                    envoy_cluster_upstream_rq{
                      envoy_cluster_name=~"{{ namespace }}_{{ target }}-canary_[0-9a-zA-Z-]+",
                      direction="{{ variables.direction }}",
                      envoy_response_code!~"5.*"
                    }[{{ interval }}]
                )
            )
            """;

        var rendered = _renderer.Render(query, Model);

        Assert.Equal(
            """sum( rate( envoy_cluster_upstream_rq{ envoy_cluster_name=~"test_podinfo-canary_[0-9a-zA-Z-]+", direction="inbound", envoy_response_code!~"5.*" }[1m] ) )""",
            Canary.MetricTemplates.Providers.PrometheusProvider.CollapseWhitespace(rendered));
    }

    [Fact]
    public void Unknown_variable_is_an_error_naming_it()
    {
        var ex = Assert.Throws<QueryRenderException>(() => _renderer.Render("rate(x{ns=\"{{ namespaces }}\"}[1m])", Model));
        Assert.Contains("namespaces", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_template_variable_is_an_error_naming_it()
    {
        var ex = Assert.Throws<QueryRenderException>(() => _renderer.Render("{{ variables.region }}", Model));
        Assert.Contains("region", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_key_through_index_is_an_error_naming_it()
    {
        var ex = Assert.Throws<QueryRenderException>(() => _renderer.Render("{{ index variables \"zone\" }}", Model));
        Assert.Contains("zone", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Go_field_syntax_gets_a_hint()
    {
        var ex = Assert.Throws<QueryRenderException>(() => _renderer.Render("{{ .Namespace }}", Model));
        Assert.Contains("{{ namespace }}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_error_is_reported()
    {
        var ex = Assert.Throws<QueryRenderException>(() => _renderer.Render("{{ if }}", Model));
        Assert.Contains("parse error", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_from_canary_applies_Flagger_defaults()
    {
        var canary = Canaries.Podinfo();
        var model = MetricTemplateModel.FromCanary(canary, new() { Name = "m", TemplateVariables = new Dictionary<string, string> { ["k"] = "v" } });

        Assert.Equal(("podinfo", "test", "podinfo", "podinfo", "podinfo", "podinfo", "1m"),
            (model.Name, model.Namespace, model.Target, model.Service, model.Ingress, model.Route, model.Interval));
        Assert.Equal("v", model.Variables["k"]);
    }
}
