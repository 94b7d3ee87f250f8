using Canary.MetricTemplates.Providers;

namespace Canary.MetricTemplates.Tests.Providers;

public sealed class PrometheusResponseParserTests
{
    [Fact]
    public void Instant_vector_returns_the_first_sample()
    {
        var result = PrometheusResponseParser.Parse(
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"99.5"]},{"metric":{"a":"2"},"value":[1,"3"]}]}}""");
        Assert.Equal(99.5, result.Value);
        Assert.Equal([("1", 99.5), ("2", 3.0)], result.Samples.Select(s => (s.Labels["a"], s.Value)));
    }

    [Fact]
    public void Scalar_returns_its_value() =>
        Assert.Equal(1d, PrometheusResponseParser.Parse("""{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}""").Value);

    [Fact]
    public void Empty_vector_is_no_data() =>
        Assert.Equal(MetricQueryStatus.NoData,
            PrometheusResponseParser.Parse("""{"status":"success","data":{"resultType":"vector","result":[]}}""").Status);

    [Fact]
    public void NaN_is_no_data_never_a_value() =>
        Assert.Equal(MetricQueryStatus.NoData,
            PrometheusResponseParser.Parse("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}""").Status);

    [Theory]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("1e3", 1000)]
    public void Special_values_parse(string text, double expected) =>
        Assert.Equal(expected, PrometheusResponseParser.ParseValue(text).Value);

    [Fact]
    public void Range_vector_is_an_error() =>
        Assert.Equal(MetricQueryStatus.Error,
            PrometheusResponseParser.Parse("""{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]}}""").Status);

    [Fact]
    public void Error_status_keeps_Prometheus_reason()
    {
        var result = PrometheusResponseParser.Parse("""{"status":"error","errorType":"bad_data","error":"parse error at char 5"}""");
        Assert.Equal(MetricQueryStatus.Error, result.Status);
        Assert.Contains("parse error at char 5", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_is_an_error() =>
        Assert.Equal(MetricQueryStatus.Error, PrometheusResponseParser.Parse("<html>").Status);
}
