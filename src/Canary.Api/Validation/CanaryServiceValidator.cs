using FluentValidation;
using Canary.Api.V1Beta1;

namespace Canary.Api.Validation;

/// <summary>Validates <c>spec.service</c>.</summary>
public sealed class CanaryServiceValidator : JsonValidator<CanaryService>
{
    private static readonly string[] TrafficDistributions = ["PreferClose", "PreferSameZone", "PreferSameNode"];

    public CanaryServiceValidator()
    {
        Field(x => x.Port).NotNull().WithMessage("is required (1-65535)");
        Field(x => x.Port).Between(1, 65535);
        Field(x => x.TargetPort).Must(p => p is null || IsValidTargetPort(p.Value))
            .WithMessage("must be a port number between 1 and 65535 or a container port name");
        Field(x => x.TrafficDistribution).OneOf(TrafficDistributions);
        Field(x => x.Timeout).ValidDuration();
        Field(x => x.BackendTimeout).ValidDuration();
        Each(x => x.GatewayRefs!).ChildRules(r => r.RuleFor(p => p.Name).Required().OverridePropertyName("name"));
        Field(x => x.Retries!).SetValidator(new HttpRetryValidator());
        Field(x => x.Delegation).Must((s, d) => d != true || (s.Hosts is not { Count: > 0 } && s.Gateways is not { Count: > 0 }))
            .WithMessage("requires hosts and gateways to be empty (a delegate VirtualService has neither)");
    }

    private static bool IsValidTargetPort(string? value) =>
        !string.IsNullOrEmpty(value) && (!int.TryParse(value, out var port) || port is >= 1 and <= 65535);
}

/// <summary>Validates <c>spec.service.retries</c>.</summary>
public sealed class HttpRetryValidator : JsonValidator<HttpRetry>
{
    public HttpRetryValidator()
    {
        Field(x => x.Attempts).NotNegative();
        Field(x => x.PerTryTimeout).ValidDuration();
    }
}
