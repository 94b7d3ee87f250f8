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
        Field(x => x.Analysis!).SetValidator(new CanaryAnalysisValidator());
        Field(x => x.CanaryAnalysis!).SetValidator(new CanaryAnalysisValidator());
        Field(x => x.AutoscalerRef!).SetValidator(new AutoscalerReferenceValidator());
        Field(x => x.IngressRef!).SetValidator(new LocalObjectReferenceValidator());
        Field(x => x.RouteRef!).SetValidator(new LocalObjectReferenceValidator());
        Field(x => x.UpstreamRef!).SetValidator(new CrossNamespaceObjectReferenceValidator());
    }
}
