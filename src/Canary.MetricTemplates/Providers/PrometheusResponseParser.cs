using System.Globalization;
using System.Text.Json;

namespace Canary.MetricTemplates.Providers;

/// <summary>Reads the single value out of a Prometheus <c>/api/v1/query</c> answer.</summary>
internal static class PrometheusResponseParser
{
    /// <summary>Instant vector: the first sample wins; scalar: its value; anything else is an error.</summary>
    public static MetricQueryResult Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (!TryGetString(root, "status", out var status) || status != "success")
            {
                TryGetString(root, "errorType", out var errorType);
                TryGetString(root, "error", out var error);
                return MetricQueryResult.Failed($"prometheus answered status {status ?? "<none>"}: {errorType} {error}".TrimEnd());
            }

            if (!root.TryGetProperty("data", out var data) || !TryGetString(data, "resultType", out var resultType)
                || !data.TryGetProperty("result", out var result))
            {
                return MetricQueryResult.Failed("prometheus answer has no data.resultType/data.result");
            }

            return resultType switch
            {
                "vector" => ParseVector(result),
                "scalar" => ParseSample(result),
                "matrix" => MetricQueryResult.Failed("the query returned a range vector; it must return an instant vector or a scalar"),
                _ => MetricQueryResult.Failed($"the query returned a {resultType}; it must return an instant vector or a scalar"),
            };
        }
        catch (JsonException ex)
        {
            return MetricQueryResult.Failed($"error unmarshaling result: {ex.Message}, '{Truncate(body)}'");
        }
    }

    /// <summary>Parses a Prometheus sample value; NaN becomes no data, <c>+Inf</c>/<c>-Inf</c> infinities.</summary>
    internal static MetricQueryResult ParseValue(string text) => text switch
    {
        "NaN" => MetricQueryResult.NoData("the query returned NaN"),
        "+Inf" or "Inf" => MetricQueryResult.Of(double.PositiveInfinity),
        "-Inf" => MetricQueryResult.Of(double.NegativeInfinity),
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => MetricQueryResult.Of(value),
        _ => MetricQueryResult.Failed($"cannot parse sample value '{Truncate(text)}'"),
    };

    internal static string Truncate(string text, int max = 512) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "...");

    private static MetricQueryResult ParseVector(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Array || result.GetArrayLength() == 0)
        {
            return MetricQueryResult.NoData("the query returned an empty result");
        }

        var first = result[0];
        if (!first.TryGetProperty("value", out var sample))
        {
            return MetricQueryResult.Failed("vector sample has no value");
        }

        var value = ParseSample(sample);
        if (result.GetArrayLength() == 1 && !first.TryGetProperty("metric", out _))
        {
            return value;
        }

        // Keep every series (histogram buckets by le); the first still answers one-number queries as before.
        var samples = new List<MetricSample>(result.GetArrayLength());
        foreach (var element in result.EnumerateArray())
        {
            if (!element.TryGetProperty("value", out var raw) || raw.ValueKind != JsonValueKind.Array || raw.GetArrayLength() != 2
                || raw[1].ValueKind != JsonValueKind.String)
            {
                return MetricQueryResult.Failed($"unexpected sample shape: {Truncate(element.GetRawText())}");
            }

            samples.Add(new MetricSample(Labels(element), ParseNumber(raw[1].GetString()!)));
        }

        return value.HasValue ? MetricQueryResult.OfVector(samples) : value;
    }

    private static Dictionary<string, string> Labels(JsonElement element)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("metric", out var metric) && metric.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in metric.EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? string.Empty;
            }
        }

        return labels;
    }

    private static double ParseNumber(string text) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN,
    };

    // A sample is [ <unix time>, "<value as string>" ].
    private static MetricQueryResult ParseSample(JsonElement sample) =>
        sample.ValueKind == JsonValueKind.Array && sample.GetArrayLength() == 2 && sample[1].ValueKind == JsonValueKind.String
            ? ParseValue(sample[1].GetString()!)
            : MetricQueryResult.Failed($"unexpected sample shape: {Truncate(sample.GetRawText())}");

    private static bool TryGetString(JsonElement element, string name, out string? value)
    {
        value = element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var property)
            && property.ValueKind == JsonValueKind.String
            ? property.GetString()
            : null;
        return value is not null;
    }
}
