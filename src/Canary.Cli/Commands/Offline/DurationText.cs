using System.Globalization;
using System.Text;

namespace Canary.Cli.Commands.Offline;

/// <summary>Durations as people write them in a Canary: <c>30s</c>, <c>1m</c>, <c>1m30s</c>, <c>2h5m</c>.</summary>
internal static class DurationText
{
    /// <summary>Hours, minutes, seconds (and milliseconds under a second), zero parts left out.</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds}ms");
        }

        var text = new StringBuilder();
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (value.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        var seconds = value.Seconds + (value.Milliseconds / 1000m);
        if (seconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{seconds}s");
        }

        return text.ToString();
    }
}
