using FluentValidation;
using Canary.Api.V1Beta1;

namespace Canary.Api.Validation;

/// <summary>Validates <c>spec.targetRef</c>: name and a supported kind.</summary>
public sealed class TargetReferenceValidator : JsonValidator<TargetReference>
{
    public TargetReferenceValidator()
    {
        Field(x => x.Name).Required();
        Field(x => x.Kind).Required();
        Field(x => x.Kind).OneOf(TargetKinds.All).When(x => !string.IsNullOrEmpty(x.Kind));
        Field(x => x.ApiVersion).ApiVersionOf(x => x.Kind, TargetKinds.ApiVersions);
    }
}

/// <summary>Validates a same-namespace reference: the name is required.</summary>
public sealed class LocalObjectReferenceValidator : JsonValidator<LocalObjectReference>
{
    public LocalObjectReferenceValidator() => Field(x => x.Name).Required();
}

/// <summary>Validates a cross-namespace reference: the name is required.</summary>
public sealed class CrossNamespaceObjectReferenceValidator : JsonValidator<CrossNamespaceObjectReference>
{
    public CrossNamespaceObjectReferenceValidator() => Field(x => x.Name).Required();
}

/// <summary>Validates a Secret reference: the name is required.</summary>
public sealed class SecretKeyReferenceValidator : JsonValidator<SecretKeyReference>
{
    public SecretKeyReferenceValidator() => Field(x => x.Name).Required();
}

/// <summary>Validates <c>spec.autoscalerRef</c>: name, kind and replica bounds.</summary>
public sealed class AutoscalerReferenceValidator : JsonValidator<AutoscalerReference>
{
    public AutoscalerReferenceValidator()
    {
        Field(x => x.Name).Required();
        Field(x => x.Kind).Required();
        Field(x => x.Kind).OneOf(AutoscalerKinds.All).When(x => !string.IsNullOrEmpty(x.Kind));
        Field(x => x.ApiVersion).ApiVersionOf(x => x.Kind, AutoscalerKinds.ApiVersions);
        Field(x => x.PrimaryScalerQueries).Must((a, queries) => queries is null || a.Kind == AutoscalerKinds.ScaledObject)
            .WithMessage("is only used with kind ScaledObject (an HPA has no queries to give the primary)");
        Field(x => x.PrimaryScalerReplicas!).SetValidator(new ScalerReplicasValidator());
    }
}

/// <summary>Validates replica bounds: each at least 1, min not above max.</summary>
public sealed class ScalerReplicasValidator : JsonValidator<ScalerReplicas>
{
    public ScalerReplicasValidator()
    {
        Field(x => x.MinReplicas).Must(v => v is null or >= 1).WithMessage("must be at least 1 (got {PropertyValue})");
        Field(x => x.MaxReplicas).Must(v => v is null or >= 1).WithMessage("must be at least 1 (got {PropertyValue})");
        Field(x => x.MaxReplicas).Must((r, max) => r.MinReplicas is null || max is null || max >= r.MinReplicas)
            .WithMessage(r => $"must not be less than minReplicas ({r.MinReplicas})");
    }
}
