using Canary.Api.V1Beta1;
using FluentValidation;

namespace Canary.Api.Validation;

/// <summary>Validates one <c>analysis.metrics[i]</c>.</summary>
public sealed class CanaryMetricValidator : JsonValidator<CanaryMetric>
{
    public CanaryMetricValidator()
    {
        Field(x => x.Name).Required();
        RuleFor(x => x)
            .Must(m => BuiltInMetrics.IsBuiltIn(m.Name) || m.TemplateRef is not null || !string.IsNullOrWhiteSpace(m.Query))
            .WithMessage($"needs a source: a built-in name ({BuiltInMetrics.RequestSuccessRate}, {BuiltInMetrics.RequestDuration}), a templateRef or a query")
            .Configure(r => r.PropertyName = string.Empty);
        Field(x => x.Interval).ValidDuration();
        Field(x => x.ThresholdRange).Must(r => r?.Min is null || r.Max is null || r.Min <= r.Max)
            .WithMessage(m => $"min ({m.ThresholdRange!.Min}) must not be greater than max ({m.ThresholdRange.Max})");
        Field(x => x.TemplateRef!).SetValidator(new CrossNamespaceObjectReferenceValidator());
        Field(x => x.Judge!).SetValidator(new MetricJudgeValidator());
    }
}

/// <summary>Validates one <c>analysis.webhooks[i]</c>.</summary>
public sealed class CanaryWebhookValidator : JsonValidator<CanaryWebhook>
{
    public CanaryWebhookValidator()
    {
        Field(x => x.Name).Required();
        Field(x => x.Url).Required();
        Field(x => x.Url).AbsoluteHttpUrl().When(x => !string.IsNullOrEmpty(x.Url));
        Field(x => x.Type).OneOf(WebhookTypes.All, allowEmpty: true);
        Field(x => x.Timeout).ValidDuration();
        Field(x => x.Retries).NotNegative();
    }
}

/// <summary>Validates one <c>analysis.alerts[i]</c>.</summary>
public sealed class CanaryAlertValidator : JsonValidator<CanaryAlert>
{
    public CanaryAlertValidator()
    {
        Field(x => x.Name).Required();
        Field(x => x.Severity).OneOf(AlertSeverities.All, allowEmpty: true);
        Field(x => x.ProviderRef).NotNull().WithMessage("is required");
        Field(x => x.ProviderRef!).SetValidator(new CrossNamespaceObjectReferenceValidator());
    }
}

/// <summary>Validates <c>analysis.judge</c>.</summary>
public sealed class CanaryJudgeValidator : JsonValidator<CanaryJudge>
{
    public CanaryJudgeValidator()
    {
        Field(x => x.Confidence).InclusiveBetween(0.5, 0.999999).WithMessage(j => $"must be between 0.5 and 0.999999 (got {j.Confidence})");
        Field(x => x.FailFastConfidence).InclusiveBetween(0.5, 0.9999999999).WithMessage(j => $"must be between 0.5 and 0.9999999999 (got {j.FailFastConfidence})");
        Field(x => x.FailFastConfidence).Must((j, f) => f is null || f >= (j.Confidence ?? Defaults.EffectiveJudge.DefaultConfidence))
            .WithMessage(j => $"must not be below confidence ({j.Confidence ?? Defaults.EffectiveJudge.DefaultConfidence}): failing fast needs more evidence than failing a check");
        Field(x => x.MinSamples).GreaterThanOrEqualTo(1).WithMessage("must be at least 1");
        Field(x => x.MaxInconclusive).GreaterThanOrEqualTo(1).WithMessage("must be at least 1");
        Field(x => x.OnInconclusive).OneOf([.. JudgeInconclusiveActions.All]);
    }
}

/// <summary>Validates <c>analysis.metrics[i].judge</c>.</summary>
public sealed class MetricJudgeValidator : JsonValidator<MetricJudge>
{
    public MetricJudgeValidator()
    {
        Field(x => x.MaxRatio).InclusiveBetween(1, 1000).WithMessage(j => $"must be between 1 and 1000 (got {j.MaxRatio})");
        Field(x => x.Margin).InclusiveBetween(0, 1000000).WithMessage(j => $"must be between 0 and 1000000 (got {j.Margin})");
        Field(x => x.Quantile).InclusiveBetween(0.5, 0.999).WithMessage(j => $"must be between 0.5 and 0.999 (got {j.Quantile})");
        Field(x => x.MinSamples).GreaterThanOrEqualTo(1).WithMessage("must be at least 1");
    }
}

/// <summary>Validates <c>spec.judge</c> of a MetricTemplate: the queries its type needs.</summary>
public sealed class MetricTemplateJudgeValidator : JsonValidator<MetricTemplateJudge>
{
    public MetricTemplateJudgeValidator()
    {
        Field(x => x.Type).Required();
        Field(x => x.Type).OneOf([.. MetricJudgeTypes.All]);
        Field(x => x.RequestsQuery).Required().When(x => x.Type == MetricJudgeTypes.Ratio);
        Field(x => x.FailuresQuery).Required().When(x => x.Type == MetricJudgeTypes.Ratio);
        Field(x => x.BucketsQuery).Required().When(x => x.Type == MetricJudgeTypes.Histogram);
        Field(x => x.BucketsToMilliseconds).GreaterThan(0).WithMessage("must be greater than 0");
    }
}
