using System.Diagnostics;

namespace Canary.Controller.Telemetry;

/// <summary>The ActivitySource of the controller's traces (one span per reconcile).</summary>
public static class ControllerActivitySource
{
    /// <summary>Source name to subscribe to.</summary>
    public const string Name = "Canary.Controller";

    /// <summary>The shared source.</summary>
    public static ActivitySource Source { get; } = new(Name);
}
