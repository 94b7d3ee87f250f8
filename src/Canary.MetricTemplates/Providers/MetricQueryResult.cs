namespace Canary.MetricTemplates.Providers;

/// <summary>How a metric query ended: a value, no data, or a failure of the provider.</summary>
public enum MetricQueryStatus
{
    /// <summary>The query returned a number.</summary>
    Value,

    /// <summary>The query ran but returned nothing usable (empty result or NaN): usually no traffic.</summary>
    NoData,

    /// <summary>The provider could not be reached (connection refused, DNS, timeout, 5xx after retries).</summary>
    Unreachable,

    /// <summary>The provider answered but the query was rejected or the answer could not be understood.</summary>
    Error,
}

/// <summary>Outcome of one metric query. Never a silent pass: only <see cref="MetricQueryStatus.Value"/> carries a value.</summary>
public sealed record MetricQueryResult
{
    private MetricQueryResult(MetricQueryStatus status, double? value, string? detail)
    {
        Status = status;
        Value = value;
        Detail = detail;
    }

    /// <summary>What happened.</summary>
    public MetricQueryStatus Status { get; }

    /// <summary>The value when <see cref="Status"/> is <see cref="MetricQueryStatus.Value"/>, else null.</summary>
    public double? Value { get; }

    /// <summary>Why there is no value (provider error text, "empty result", ...); null for a value.</summary>
    public string? Detail { get; }

    /// <summary>Every sample of an instant vector with its labels (the first one is <see cref="Value"/>); empty for scalars.</summary>
    public IReadOnlyList<MetricSample> Samples { get; private init; } = [];

    /// <summary>True when a value was returned.</summary>
    public bool HasValue => Status == MetricQueryStatus.Value;

    /// <summary>A value. NaN is turned into no data, as Flagger does since #1095.</summary>
    public static MetricQueryResult Of(double value) =>
        double.IsNaN(value) ? NoData("the query returned NaN") : new(MetricQueryStatus.Value, value, null);

    /// <summary>An instant vector: its first sample is the value (as for a one-number query), every sample is kept.</summary>
    public static MetricQueryResult OfVector(IReadOnlyList<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return samples.Count == 0 ? NoData("the query returned an empty result") : Of(samples[0].Value) with { Samples = samples };
    }

    /// <summary>The query ran and returned nothing usable.</summary>
    public static MetricQueryResult NoData(string detail) => new(MetricQueryStatus.NoData, null, detail);

    /// <summary>The provider could not be reached.</summary>
    public static MetricQueryResult Unreachable(string detail) => new(MetricQueryStatus.Unreachable, null, detail);

    /// <summary>The provider rejected the query or answered something unusable.</summary>
    public static MetricQueryResult Failed(string detail) => new(MetricQueryStatus.Error, null, detail);

    /// <inheritdoc />
    public override string ToString() => HasValue
        ? FormattableString.Invariant($"{Status}: {Value}")
        : $"{Status}: {Detail}";
}

/// <summary>One sample of an instant vector.</summary>
/// <param name="Labels">The series' labels.</param>
/// <param name="Value">The sample value (NaN and infinities as Prometheus sent them).</param>
public sealed record MetricSample(IReadOnlyDictionary<string, string> Labels, double Value);
