namespace Canary.Api.Validation;

/// <summary>One problem in an object, located by its JSON field path (e.g. <c>spec.analysis.stepWeights[2]</c>).</summary>
/// <param name="Path">camelCase JSON path with indices.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record FieldError(string Path, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Every problem found in one object; valid when there are none.</summary>
public sealed class ApiValidationResult
{
    /// <summary>A result without errors.</summary>
    public static ApiValidationResult Valid { get; } = new([]);

    /// <summary>Creates a result holding <paramref name="errors"/>.</summary>
    public ApiValidationResult(IReadOnlyList<FieldError> errors) => Errors = errors;

    /// <summary>Problems found, in rule order.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>True when no problem was found.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>One line for events and status conditions: <c>path: message; path: message</c>.</summary>
    public string Summary => IsValid ? "valid" : string.Join("; ", Errors);

    /// <inheritdoc/>
    public override string ToString() => Summary;
}
