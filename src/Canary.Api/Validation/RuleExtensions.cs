using Canary.Api.Durations;
using FluentValidation;

namespace Canary.Api.Validation;

/// <summary>Reusable rules of the canary.dev API, each with a message that says what is allowed.</summary>
public static class RuleExtensions
{
    /// <summary>A non-empty value.</summary>
    public static IRuleBuilderOptions<T, TProperty> Required<T, TProperty>(this IRuleBuilder<T, TProperty> rule) =>
        rule.NotEmpty().WithMessage("is required");

    /// <summary>Omitted, or one of <paramref name="allowed"/> (exact, case-sensitive).</summary>
    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, IReadOnlyCollection<string> allowed, bool allowEmpty = false) =>
        rule.Must(v => v is null || (allowEmpty && v.Length == 0) || allowed.Contains(v, StringComparer.Ordinal))
            .WithMessage($"'{{PropertyValue}}' is not supported; allowed values: {string.Join(", ", allowed)}{(allowEmpty ? " (or empty)" : string.Empty)}");

    /// <summary>
    /// Omitted, or an apiVersion the referenced kind is served as (a typo here would otherwise be read as the kind's usual
    /// version and silently ignored). Unknown kinds are left to the kind's own rule.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> ApiVersionOf<T>(
        this IRuleBuilder<T, string?> rule, Func<T, string?> kind, IReadOnlyDictionary<string, IReadOnlyList<string>> versions) =>
        rule.Must((owner, v) => v is null || kind(owner) is not { } k || !versions.TryGetValue(k, out var allowed) || allowed.Contains(v, StringComparer.Ordinal))
            .WithMessage((owner, v) => $"'{v}' is not an apiVersion of {kind(owner)}; allowed: {string.Join(", ", versions[kind(owner)!])}");

    /// <summary>Omitted, or between <paramref name="min"/> and <paramref name="max"/> inclusive.</summary>
    public static IRuleBuilderOptions<T, int?> Between<T>(this IRuleBuilder<T, int?> rule, int min, int max) =>
        rule.Must(v => v is null || (v >= min && v <= max)).WithMessage($"must be between {min} and {max} (got {{PropertyValue}})");

    /// <summary>Omitted, or zero or more.</summary>
    public static IRuleBuilderOptions<T, int?> NotNegative<T>(this IRuleBuilder<T, int?> rule) =>
        rule.Must(v => v is null or >= 0).WithMessage("must not be negative (got {PropertyValue})");

    /// <summary>Omitted, or an absolute http or https URL.</summary>
    public static IRuleBuilderOptions<T, string?> AbsoluteHttpUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || IsAbsoluteHttpUrl(v)).WithMessage("'{PropertyValue}' must be an absolute http(s) URL, e.g. http://service.namespace:8080/path");

    /// <summary>Omitted, or a non-negative Go duration (30s, 1m30s, 1h, 500ms) of at least <paramref name="minimum"/>.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> ValidDurationAtLeast<T>(this IRuleBuilder<T, string?> rule, TimeSpan minimum) =>
        rule.Custom((value, context) =>
        {
            if (value is null)
            {
                return;
            }

            if (!GoDuration.TryParse(value, out var duration))
            {
                context.AddFailure($"'{value}' is not a duration; use Go syntax such as 30s, 1m30s, 1h or 500ms");
            }
            else if (duration < TimeSpan.Zero)
            {
                context.AddFailure($"'{value}' must not be negative");
            }
            else if (duration < minimum)
            {
                context.AddFailure($"'{value}' is shorter than the minimum {GoDuration.Format(minimum)}");
            }
        });

    /// <summary>Omitted, or a non-negative Go duration.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> ValidDuration<T>(this IRuleBuilder<T, string?> rule) =>
        rule.ValidDurationAtLeast(TimeSpan.Zero);

    internal static bool IsAbsoluteHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
}
