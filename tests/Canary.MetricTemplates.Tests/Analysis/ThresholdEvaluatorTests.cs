using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Analysis;

namespace Canary.MetricTemplates.Tests.Analysis;

public sealed class ThresholdEvaluatorTests
{
    private static CanaryMetric Range(string name, double? min, double? max) =>
        new() { Name = name, ThresholdRange = new CanaryThresholdRange { Min = min, Max = max } };

    [Theory]
    [InlineData(99.0, true)]
    [InlineData(99.5, true)]
    [InlineData(100.0, true)]
    [InlineData(98.99, false)]
    public void Success_rate_min_is_inclusive(double value, bool passes) =>
        Assert.Equal(passes, ThresholdEvaluator.Violation(MetricKind.SuccessRate, value, Range("request-success-rate", 99, null), "podinfo.test") is null);

    [Fact]
    public void Success_rate_below_min_uses_Flaggers_wording() =>
        Assert.Equal(
            "Halt podinfo.test advancement success rate 92.00% < 99%",
            ThresholdEvaluator.Violation(MetricKind.SuccessRate, 92, Range("request-success-rate", 99, null), "podinfo.test"));

    [Fact]
    public void Success_rate_above_max_uses_Flaggers_wording() =>
        Assert.Equal(
            "Halt podinfo.test advancement success rate 100.00% > 99.5%",
            ThresholdEvaluator.Violation(MetricKind.SuccessRate, 100, Range("request-success-rate", null, 99.5), "podinfo.test"));

    [Fact]
    public void Legacy_threshold_is_a_minimum_for_success_rate()
    {
        var metric = new CanaryMetric { Name = "request-success-rate", Threshold = 99 };
        Assert.Null(ThresholdEvaluator.Violation(MetricKind.SuccessRate, 99, metric, "podinfo.test"));
        Assert.Equal("Halt podinfo.test advancement success rate 98.00% < 99%",
            ThresholdEvaluator.Violation(MetricKind.SuccessRate, 98, metric, "podinfo.test"));
    }

    [Theory]
    [InlineData(500.0, true)]
    [InlineData(500.9, true)] // whole milliseconds, as Flagger's time.Duration
    [InlineData(501.0, false)]
    public void Duration_max_is_inclusive_in_whole_milliseconds(double rawMilliseconds, bool passes)
    {
        var value = ThresholdEvaluator.ToWholeMilliseconds(rawMilliseconds, 1);
        Assert.Equal(passes, ThresholdEvaluator.Violation(MetricKind.Duration, value, Range("request-duration", null, 500), "podinfo.test") is null);
    }

    [Fact]
    public void Duration_above_max_uses_Go_durations() =>
        Assert.Equal(
            "Halt podinfo.test advancement request duration 1.5s > 500ms",
            ThresholdEvaluator.Violation(MetricKind.Duration, ThresholdEvaluator.ToWholeMilliseconds(1.5, 1000), Range("request-duration", null, 500), "podinfo.test"));

    [Fact]
    public void Legacy_threshold_is_a_maximum_for_duration_and_custom_metrics()
    {
        Assert.Equal("Halt podinfo.test advancement request duration 600ms > 500ms",
            ThresholdEvaluator.Violation(MetricKind.Duration, 600, new CanaryMetric { Name = "request-duration", Threshold = 500 }, "podinfo.test"));
        Assert.Equal("Halt podinfo.test advancement error-rate 1.50 > 1",
            ThresholdEvaluator.Violation(MetricKind.Custom, 1.5, new CanaryMetric { Name = "error-rate", Threshold = 1 }, "podinfo.test"));
    }

    [Theory]
    [InlineData(1.0, null)]
    [InlineData(5.0, null)]
    [InlineData(0.99, "Halt podinfo.test advancement latency 0.99 < 1")]
    [InlineData(5.01, "Halt podinfo.test advancement latency 5.01 > 5")]
    public void Custom_range_bounds_are_inclusive(double value, string? expected) =>
        Assert.Equal(expected, ThresholdEvaluator.Violation(MetricKind.Custom, value, Range("latency", 1, 5), "podinfo.test"));

    [Fact]
    public void Infinite_duration_fails_with_a_readable_message() =>
        Assert.Contains("> 500ms", ThresholdEvaluator.Violation(MetricKind.Duration, double.PositiveInfinity, Range("request-duration", null, 500), "podinfo.test"), StringComparison.Ordinal);
}
