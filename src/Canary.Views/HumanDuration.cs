using System.Globalization;

namespace Canary.Views;

/// <summary>Ages as kubectl prints them (apimachinery's <c>duration.HumanDuration</c>): 45s, 3m20s, 15m, 2h5m, 3d4h, 1y20d.</summary>
public static class HumanDuration
{
    /// <summary>The age of something that happened at <paramref name="time"/>, seen at <paramref name="now"/>; "-" when unknown.</summary>
    public static string Age(DateTime? time, DateTimeOffset now) =>
        time is { } t ? Format(now - new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))) : "-";

    /// <summary>Formats <paramref name="duration"/> with kubectl's rounding.</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)Math.Floor(duration.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return Text($"{seconds}s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? Text($"{minutes}m") : Text($"{minutes}m{seconds % 60}s");
        }

        if (minutes < 60 * 3)
        {
            return Text($"{minutes}m");
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? Text($"{hours}h") : Text($"{hours}h{minutes % 60}m");
        }

        if (hours < 48)
        {
            return Text($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? Text($"{hours / 24}d") : Text($"{hours / 24}d{hours % 24}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Text($"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? Text($"{hours / 24 / 365}y") : Text($"{hours / 24 / 365}y{days}d");
        }

        return Text($"{hours / 24 / 365}y");
    }

    private static string Text(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
