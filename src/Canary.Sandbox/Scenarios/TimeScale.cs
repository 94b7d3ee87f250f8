using System.Globalization;

namespace Canary.Sandbox.Scenarios;

/// <summary>
/// How much faster than real time the scenarios run: every interval of a Canary is divided by <see cref="Factor"/> and
/// every request rate multiplied by it, so each check sees as many requests as it would in real time.
/// </summary>
public readonly record struct TimeScale
{
    /// <summary>Highest factor: the judge policy's 30 s interval must stay at least 1 s, the controller's minimum.</summary>
    public const double MaxFactor = 30;

    /// <summary>A scale of <paramref name="factor"/> (1 = real time, at most <see cref="MaxFactor"/>).</summary>
    public TimeScale(double factor)
    {
        if (!double.IsFinite(factor) || factor < 1 || factor > MaxFactor)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"the time scale must be between 1 and {MaxFactor.ToString(CultureInfo.InvariantCulture)}");
        }

        Factor = factor;
    }

    /// <summary>S: scenario seconds per wall-clock second.</summary>
    public double Factor { get; }

    /// <summary>The wall-clock time a span of scenario time takes.</summary>
    public TimeSpan ToWall(TimeSpan scenario) => scenario / Factor;

    /// <summary>The scenario time a span of wall-clock time stands for.</summary>
    public TimeSpan ToScenario(TimeSpan wall) => wall * Factor;

    /// <summary>The simulated request rate for a scenario rate.</summary>
    public double Rate(double scenarioRequestsPerSecond) => scenarioRequestsPerSecond * Factor;

    /// <summary>A scenario-time Go duration (e.g. 1m) scaled to wall-clock time, as a Go duration in milliseconds (6000ms).</summary>
    public string ScaleGoDuration(string scenario)
    {
        var wall = ToWall(Api.Durations.GoDuration.Parse(scenario));
        return $"{Math.Max(1, (long)Math.Round(wall.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture)}ms";
    }
}
