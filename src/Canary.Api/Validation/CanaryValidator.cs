using Canary.Api.V1Beta1;
using FluentValidation;

namespace Canary.Api.Validation;

/// <summary>Validates a whole <see cref="V1Beta1.Canary"/>; paths start at <c>spec.</c>.</summary>
public sealed class CanaryValidator : JsonValidator<V1Beta1.Canary>
{
    public CanaryValidator() => Field(x => x.Spec).NotNull().WithMessage("is required").SetValidator(new CanarySpecValidator());
}

/// <summary>Validates <c>spec</c> of a Canary.</summary>
public sealed class CanarySpecValidator : JsonValidator<CanarySpec>
{
    public CanarySpecValidator()
    {
        Field(x => x.TargetRef).NotNull().WithMessage("is required (kind and name of a Deployment, DaemonSet or Service)");
        Field(x => x.TargetRef!).SetValidator(new TargetReferenceValidator());
        Field(x => x.Service).NotNull().WithMessage("is required (at least service.port)");
        Field(x => x.Service!).SetValidator(new CanaryServiceValidator());
        Field(x => x.Provider).OneOf(TrafficProviders.All);
        Field(x => x.MetricsServer).AbsoluteHttpUrl();
        Field(x => x.ProgressDeadlineSeconds).NotNegative();
        Field(x => x.Service, "service.gatewayRefs")
            .Must((spec, service) => !TrafficProviders.IsGatewayApi(spec.Provider) || service?.GatewayRefs is { Count: > 0 })
            .WithMessage(spec => $"is required by the {spec.Provider} provider (the Gateways the HTTPRoute attaches to)");
        // Flagger's verifyCanary: a Knative Service target and the knative provider go together, without an autoscalerRef.
        Field(x => x.Provider).Must((spec, provider) => IsKnativeTarget(spec) == (provider == TrafficProviders.Knative))
            .WithMessage(spec => IsKnativeTarget(spec)
                ? "must be knative for a Knative Service target (targetRef.apiVersion serving.knative.dev/*)"
                : "knative requires targetRef to be a Knative Service (kind Service, apiVersion serving.knative.dev/v1)");
        Field(x => x.AutoscalerRef).Must((spec, autoscaler) => autoscaler is null || spec.Provider != TrafficProviders.Knative)
            .WithMessage("is not supported with the knative provider (Knative scales its own revisions)");
        Field(x => x.Analysis!).SetValidator(new CanaryAnalysisValidator());
        Field(x => x.CanaryAnalysis!).SetValidator(new CanaryAnalysisValidator());
        Field(x => x.AutoscalerRef!).SetValidator(new AutoscalerReferenceValidator());
        Field(x => x.IngressRef!).SetValidator(new LocalObjectReferenceValidator());
        Field(x => x.RouteRef!).SetValidator(new LocalObjectReferenceValidator());
        Field(x => x.UpstreamRef!).SetValidator(new CrossNamespaceObjectReferenceValidator());
    }

    private static bool IsKnativeTarget(CanarySpec spec) =>
        spec.TargetRef is not null && TargetKinds.KeyOf(spec.TargetRef) == TargetKinds.KnativeService;
}
