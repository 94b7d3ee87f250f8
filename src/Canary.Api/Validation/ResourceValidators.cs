using Canary.Api.V1Beta1;
using FluentValidation;

namespace Canary.Api.Validation;

/// <summary>Validates a <see cref="MetricTemplate"/>: a known provider type, a usable address and a query.</summary>
public sealed class MetricTemplateValidator : JsonValidator<MetricTemplate>
{
    public MetricTemplateValidator() => Field(x => x.Spec).NotNull().WithMessage("is required").SetValidator(new MetricTemplateSpecValidator());
}

/// <summary>Validates <c>spec</c> of a MetricTemplate.</summary>
public sealed class MetricTemplateSpecValidator : JsonValidator<MetricTemplateSpec>
{
    public MetricTemplateSpecValidator()
    {
        Field(x => x.Provider).NotNull().WithMessage("is required (at least provider.type)");
        Field(x => x.Provider!).SetValidator(new MetricProviderValidator());
        Field(x => x.Query).Required();
        Field(x => x.Judge!).SetValidator(new MetricTemplateJudgeValidator());
    }
}

/// <summary>Validates <c>spec.provider</c> of a MetricTemplate.</summary>
public sealed class MetricProviderValidator : JsonValidator<MetricProvider>
{
    public MetricProviderValidator()
    {
        Field(x => x.Type).Required();
        Field(x => x.Type).OneOf(MetricProviderTypes.All).When(x => !string.IsNullOrEmpty(x.Type));
        Field(x => x.Address).AbsoluteHttpUrl().When(x => !string.IsNullOrEmpty(x.Address));
        Field(x => x.SecretRef!).SetValidator(new SecretKeyReferenceValidator());
    }
}

/// <summary>Validates an <see cref="AlertProvider"/>: a known type and an address or a secret holding one.</summary>
public sealed class AlertProviderValidator : JsonValidator<AlertProvider>
{
    public AlertProviderValidator() => Field(x => x.Spec).NotNull().WithMessage("is required").SetValidator(new AlertProviderSpecValidator());
}

/// <summary>Validates <c>spec</c> of an AlertProvider.</summary>
public sealed class AlertProviderSpecValidator : JsonValidator<AlertProviderSpec>
{
    public AlertProviderSpecValidator()
    {
        Field(x => x.Type).Required();
        Field(x => x.Type).OneOf(AlertProviderTypes.All).When(x => !string.IsNullOrEmpty(x.Type));
        Field(x => x.Address).AbsoluteHttpUrl().When(x => !string.IsNullOrEmpty(x.Address));
        Field(x => x.Address).Must((s, address) => !string.IsNullOrEmpty(address) || s.SecretRef is not null)
            .WithMessage("is required unless secretRef names a Secret with an address key");
        Field(x => x.Proxy).AbsoluteHttpUrl().When(x => !string.IsNullOrEmpty(x.Proxy));
        Field(x => x.SecretRef!).SetValidator(new SecretKeyReferenceValidator());
    }
}

/// <summary>Validates a <see cref="CanaryRequest"/>: the Canary it names, a known action, force only with promote.</summary>
public sealed class CanaryRequestValidator : JsonValidator<CanaryRequest>
{
    public CanaryRequestValidator() => Field(x => x.Spec).NotNull().WithMessage("is required").SetValidator(new CanaryRequestSpecValidator());
}

/// <summary>Validates <c>spec</c> of a CanaryRequest.</summary>
public sealed class CanaryRequestSpecValidator : JsonValidator<CanaryRequestSpec>
{
    public CanaryRequestSpecValidator()
    {
        Field(x => x.Canary).Required();
        Field(x => x.Action).Required();
        Field(x => x.Action).OneOf(CanaryControls.All).When(x => !string.IsNullOrEmpty(x.Action));
        Field(x => x.Force).Must((s, force) => force != true || s.Action == CanaryControls.Promote)
            .WithMessage("applies to promote only");
    }
}
