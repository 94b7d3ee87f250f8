using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using FluentValidation;
using FluentValidation.Results;

namespace Canary.Api.Validation;

/// <summary>Validates <c>spec.analysis</c> (and the deprecated <c>spec.canaryAnalysis</c>): weights, strategy and checks.</summary>
public sealed class CanaryAnalysisValidator : JsonValidator<CanaryAnalysis>
{
    public CanaryAnalysisValidator()
    {
        Field(x => x.Interval).ValidDurationAtLeast(CanaryDefaults.MinimumAnalysisInterval);
        Field(x => x.Threshold).NotNegative();
        Field(x => x.Iterations).NotNegative();
        Field(x => x.MaxWeight).Between(0, 100);
        Field(x => x.StepWeight).Between(0, 100);
        Field(x => x.StepWeightPromotion).Between(0, 100);
        Field(x => x.MirrorWeight).Between(0, 100);
        Field(x => x.PrimaryReadyThreshold).Between(0, 100);
        Field(x => x.CanaryReadyThreshold).Between(0, 100);
        Field(x => x.StepWeights).Custom(CheckStepWeights);

        Field(x => x.StepWeights).Must((a, steps) => !(a.StepWeight is > 0 && steps is { Count: > 0 }))
            .WithMessage("cannot be combined with stepWeight; use either a fixed stepWeight or a list of stepWeights");
        Field(x => x.MaxWeight).Must((a, max) => max is null || a.StepWeight is null || max >= a.StepWeight)
            .WithMessage(a => $"must be at least stepWeight ({a.StepWeight})");
        Field(x => x.Iterations).Must((a, n) => n is not > 0 || (a.StepWeight is not > 0 && a.StepWeights is not { Count: > 0 }))
            .WithMessage("cannot be combined with stepWeight/stepWeights: iterations select A/B testing or blue/green, weights select the canary strategy");
        Field(x => x.Match).Must((a, match) => match is not { Count: > 0 } || a.Iterations is > 0)
            .WithMessage("requires iterations > 0 (A/B testing routes matching requests for a number of iterations)");

        Field(x => x.SessionAffinity!).SetValidator(new SessionAffinityValidator());
        Field(x => x.Judge!).SetValidator(new CanaryJudgeValidator());
        Each(x => x.Metrics!).SetValidator(new CanaryMetricValidator());
        Field(x => x.Metrics).Custom(CheckMetricJudges);
        Each(x => x.Webhooks!).SetValidator(new CanaryWebhookValidator());
        Each(x => x.Alerts!).SetValidator(new CanaryAlertValidator());
    }

    // Per-metric judge settings only mean something when the judge runs and the metric can be compared per side.
    private static void CheckMetricJudges(IList<CanaryMetric>? metrics, ValidationContext<CanaryAnalysis> context)
    {
        for (var i = 0; metrics is not null && i < metrics.Count; i++)
        {
            if (metrics[i]?.Judge is not { } judge)
            {
                continue;
            }

            var path = $"{context.PropertyPath}[{i}].judge";
            if (context.InstanceToValidate.Judge is null)
            {
                context.AddFailure(new ValidationFailure(path, "requires analysis.judge (the judge is off, so these settings would be ignored)"));
            }
            else if (metrics[i].TemplateRef is null && !BuiltInMetrics.IsBuiltIn(metrics[i].Name))
            {
                context.AddFailure(new ValidationFailure(path, "needs a built-in metric or a templateRef to a MetricTemplate with spec.judge; an inline query has no per-side counts"));
            }
            else if (judge.Quantile is not null && metrics[i].Name == BuiltInMetrics.RequestSuccessRate && metrics[i].TemplateRef is null)
            {
                context.AddFailure(new ValidationFailure($"{path}.quantile", "applies to latency metrics only (request-duration or a histogram template)"));
            }
        }
    }

    // Each bad element is reported at its own index so the user can find it in a long list.
    private static void CheckStepWeights(IList<int>? steps, ValidationContext<CanaryAnalysis> context)
    {
        if (steps is null)
        {
            return;
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var path = $"{context.PropertyPath}[{i}]";
            if (steps[i] is < 0 or > 100)
            {
                context.AddFailure(new ValidationFailure(path, $"must be between 0 and 100 (got {steps[i]})"));
            }
            else if (i > 0 && steps[i] <= steps[i - 1])
            {
                context.AddFailure(new ValidationFailure(path, $"must be greater than the previous step weight {steps[i - 1]} (stepWeights must be strictly increasing)"));
            }
        }
    }
}

/// <summary>Validates <c>analysis.sessionAffinity</c>.</summary>
public sealed class SessionAffinityValidator : JsonValidator<SessionAffinity>
{
    private static readonly string[] SameSiteValues = ["Strict", "Lax", "None"];

    public SessionAffinityValidator()
    {
        Field(x => x.CookieName).Required();
        Field(x => x.PrimaryCookieName).Must((a, primary) => string.IsNullOrEmpty(primary) || primary != a.CookieName)
            .WithMessage("must differ from cookieName");
        Field(x => x.MaxAge).NotNegative();
        Field(x => x.SameSite).OneOf(SameSiteValues);
    }
}
