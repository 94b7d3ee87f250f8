using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Canary.Api.Durations;

/// <summary>Parses Go <c>time.ParseDuration</c> strings (<c>30s</c>, <c>1m30s</c>, <c>500ms</c>, <c>1h2m3.5s</c>), the syntax Flagger users write.</summary>
public static class GoDuration
{
    /// <summary>Regular expression (for the CRD) that accepts unsigned Go durations, e.g. <c>1m30s</c>.</summary>
    public const string UnsignedPattern = @"^(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$";

    // Longest units first so "ms" is not read as "m" followed by garbage.
    private static readonly (string Unit, decimal Ticks)[] Units =
    [
        ("ns", 0.01m), ("us", 10m), ("µs", 10m), ("μs", 10m), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> when it is not a Go duration.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a Go duration (e.g. 30s, 1m30s, 1h, 500ms).");

    /// <summary>Parses a Go duration; returns false (and zero) for empty, unit-less or malformed input or on overflow.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var s = text.AsSpan();
        var negative = s[0] == '-';
        if (s[0] is '-' or '+')
        {
            s = s[1..];
        }

        // Go accepts a bare "0" (optionally signed) without a unit.
        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        decimal ticks = 0;
        while (!s.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < s.Length && (char.IsAsciiDigit(s[numberLength]) || s[numberLength] == '.'))
            {
                numberLength++;
            }

            var number = s[..numberLength];
            if (number.IsEmpty || number is "." || number.IndexOf('.') != number.LastIndexOf('.') ||
                !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            s = s[numberLength..];
            var unitTicks = MatchUnit(ref s);
            if (unitTicks is null)
            {
                return false;
            }

            try
            {
                ticks += amount * unitTicks.Value;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        var whole = (long)decimal.Truncate(ticks);
        value = TimeSpan.FromTicks(negative ? -whole : whole);
        return true;
    }

    /// <summary>Formats like Go's <c>Duration.String()</c> for whole values: <c>1h2m3s</c>, <c>500ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = value < TimeSpan.Zero ? "-" : string.Empty;
        var abs = value.Duration();
        if (abs < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.TotalMilliseconds}ms");
        }

        var hours = (long)abs.TotalHours;
        var text = hours > 0 ? string.Create(CultureInfo.InvariantCulture, $"{hours}h{abs.Minutes}m") : abs.Minutes > 0 ? string.Create(CultureInfo.InvariantCulture, $"{abs.Minutes}m") : string.Empty;
        var seconds = abs.Seconds + (abs.Milliseconds / 1000m);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{text}{seconds}s");
    }

    private static decimal? MatchUnit(ref ReadOnlySpan<char> s)
    {
        foreach (var (unit, ticks) in Units)
        {
            if (s.StartsWith(unit, StringComparison.Ordinal))
            {
                s = s[unit.Length..];
                return ticks;
            }
        }

        return null;
    }
}
