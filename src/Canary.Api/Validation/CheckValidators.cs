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
