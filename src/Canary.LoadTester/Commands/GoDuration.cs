using System.Globalization;

namespace Canary.LoadTester.Commands;

/// <summary>
/// Go's <c>time.ParseDuration</c>: a signed sequence of decimal numbers with units (<c>ns</c>, <c>us</c>/<c>µs</c>,
/// <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>), e.g. <c>1m30s</c>, <c>1.5h</c>, <c>500ms</c>; <c>0</c> alone needs no unit.
/// hey's <c>-z</c> and the tester's <c>--timeout</c> are written this way.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>Parses <paramref name="text"/>; false (with <paramref name="value"/> zero) when it is not a Go duration.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.SequenceEqual("0"))
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        double ticks = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || s[..digits].SequenceEqual(".")
                || !double.TryParse(s[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            s = s[digits..];
            var unitLength = 0;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.')
            {
                unitLength++;
            }

            var unit = s[..unitLength].ToString();
            var match = Array.FindIndex(Units, u => u.Unit == unit);
            if (match < 0)
            {
                return false;
            }

            ticks += number * Units[match].Ticks;
            s = s[unitLength..];
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(ticks) * (negative ? -1 : 1));
        return true;
    }

    /// <summary>Formats like Go's <c>Duration.String</c> for whole units (<c>1h0m0s</c> style is shortened: <c>1h</c>, <c>1m30s</c>, <c>250ms</c>).</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        }

        var parts = new List<string>();
        var rest = value.Duration();
        if (rest.TotalHours >= 1)
        {
            parts.Add($"{(long)rest.TotalHours}h");
            rest -= TimeSpan.FromHours((long)rest.TotalHours);
        }

        if (rest.Minutes > 0)
        {
            parts.Add($"{rest.Minutes}m");
        }

        if (rest.Seconds > 0)
        {
            parts.Add($"{rest.Seconds}s");
        }

        return (value < TimeSpan.Zero ? "-" : "") + string.Concat(parts);
    }
}
