namespace Canary.Sandbox.Scenarios;

/// <summary>The sandbox could not run the scenarios (it did not start, or Canaries never became Initialized).</summary>
public sealed class ScenarioSandboxException : Exception
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public ScenarioSandboxException(string message)
        : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public ScenarioSandboxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>For serializers and analyzers.</summary>
    public ScenarioSandboxException()
        : base("the scenario sandbox failed")
    {
    }
}
