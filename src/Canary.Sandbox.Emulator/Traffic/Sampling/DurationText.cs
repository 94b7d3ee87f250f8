using System.Globalization;
using System.Text.RegularExpressions;

namespace Canary.Sandbox.Traffic.Sampling;

/// <summary>Parses annotation durations: Go-style ("20ms", "1.5s", "1m30s", "250us") or a bare number of milliseconds.</summary>
internal static partial class DurationText
{
    public static bool TryParseMilliseconds(string? text, out double milliseconds)
    {
        milliseconds = 0;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            return false;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare))
        {
            milliseconds = bare;
            return bare >= 0;
        }

        var match = GoDuration().Match(value);
        if (!match.Success)
        {
            return false;
        }

        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitMatch = UnitSplit().Match(part.Value);
            var number = double.Parse(unitMatch.Groups[1].Value, CultureInfo.InvariantCulture);
            milliseconds += number * unitMatch.Groups[2].Value switch
            {
                "h" => 3_600_000,
                "m" => 60_000,
                "s" => 1000,
                "ms" => 1,
                "us" or "µs" => 0.001,
                _ => 0.000001, // ns
            };
        }

        return true;
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(?:\.[0-9]+)?(?:ms|us|µs|ns|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitSplit();
}
