using System.Globalization;
using Canary.Cli.Commands.Live.Screen;

namespace Canary.Cli.Commands.Live.Watching;

/// <summary>
/// The one-line form of a watch state, for logs: time, phase, weight (or iteration), failed checks and the last Event.
/// A new line is printed only when the line without its time differs from the previous one.
/// </summary>
internal static class WatchLogLine
{
    /// <summary>The line for <paramref name="state"/> without its time: what decides whether something changed.</summary>
    public static string Describe(WatchState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var progress = RolloutProgress.Of(state.Canary);
        var failed = string.Create(CultureInfo.InvariantCulture, $"failed {progress.FailedText}");
        var lastEvent = state.LastEvent?.Message ?? "-";
        return $"{progress.PhaseText,-22} {progress.ProgressText,-24} {failed,-11} {lastEvent}";
    }

    /// <summary>The line printed at <paramref name="time"/>.</summary>
    public static string Format(DateTimeOffset time, string description) =>
        time.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "  " + description;
}
