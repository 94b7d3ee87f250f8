namespace Canary.Api.Crd;

/// <summary>Marks a property as required in the generated CRD schema (the API server rejects objects without it).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CrdRequiredAttribute : Attribute;

/// <summary>Restricts a string property to a fixed set of values in the generated CRD schema.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CrdEnumAttribute(params string[] values) : Attribute
{
    /// <summary>The allowed values, in the order they are written to the schema.</summary>
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>Adds a regular-expression <c>pattern</c> to a string property in the generated CRD schema.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CrdPatternAttribute(string pattern) : Attribute
{
    /// <summary>The ECMA-262 pattern the API server checks.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>Adds inclusive <c>minimum</c>/<c>maximum</c> bounds to a numeric property in the generated CRD schema.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CrdRangeAttribute : Attribute
{
    /// <summary>Integer bounds.</summary>
    public CrdRangeAttribute(long minimum, long maximum) => (Minimum, Maximum) = (minimum, maximum);

    /// <summary>Fractional bounds (probabilities, ratios).</summary>
    public CrdRangeAttribute(double minimum, double maximum) => (Minimum, Maximum) = (minimum, maximum);

    /// <summary>Inclusive lower bound.</summary>
    public double Minimum { get; }

    /// <summary>Inclusive upper bound.</summary>
    public double Maximum { get; }
}
