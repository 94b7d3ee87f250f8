namespace Canary.Controller.Hosting;

/// <summary>How log lines are written to the console.</summary>
public enum LogFormat
{
    /// <summary>One JSON object per line with scopes (the Canary's namespace/name) as fields.</summary>
    Json,

    /// <summary>Human-readable single lines.</summary>
    Text,
}
