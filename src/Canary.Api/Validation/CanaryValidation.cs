using Canary.Api.Support;
using Canary.Api.V1Beta1;
using FluentValidation;

namespace Canary.Api.Validation;

/// <summary>Entry point of API validation: every problem of an object at once, each with its JSON path.</summary>
public static class CanaryValidation
{
    // Validators are immutable after construction and safe to share between threads.
    private static readonly CanaryValidator Canaries = new();
    private static readonly MetricTemplateValidator MetricTemplates = new();
    private static readonly AlertProviderValidator AlertProviders = new();
    private static readonly CanaryRequestValidator Requests = new();

    /// <summary>Validates a Canary.</summary>
    public static ApiValidationResult Validate(V1Beta1.Canary canary) => Run(Canaries, canary);

    /// <summary>
    /// Validates a Canary for a controller implementing <paramref name="support"/>: the structural rules plus a refusal, by
    /// field path, of every value the controller does not implement.
    /// </summary>
    public static ApiValidationResult Validate(V1Beta1.Canary canary, ApiSupport support) =>
        Combine(Validate(canary), Run(new CanarySupportValidator(support), canary));

    /// <summary>Validates a MetricTemplate for a controller implementing <paramref name="support"/>.</summary>
    public static ApiValidationResult Validate(MetricTemplate template, ApiSupport support) =>
        Combine(Validate(template), Run(new MetricTemplateSupportValidator(support), template));

    /// <summary>Validates a MetricTemplate.</summary>
    public static ApiValidationResult Validate(MetricTemplate template) => Run(MetricTemplates, template);

    /// <summary>Validates an AlertProvider.</summary>
    public static ApiValidationResult Validate(AlertProvider provider) => Run(AlertProviders, provider);

    /// <summary>Validates a CanaryRequest (the controller refuses an invalid one with the same words).</summary>
    public static ApiValidationResult Validate(CanaryRequest request) => Run(Requests, request);

    private static ApiValidationResult Combine(ApiValidationResult first, ApiValidationResult second) =>
        first.IsValid && second.IsValid ? ApiValidationResult.Valid : new ApiValidationResult([.. first.Errors, .. second.Errors.Where(e => !first.Errors.Contains(e))]);

    private static ApiValidationResult Run<T>(IValidator<T> validator, T instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var result = validator.Validate(instance);
        return result.IsValid
            ? ApiValidationResult.Valid
            : new ApiValidationResult([.. result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage))]);
    }
}
