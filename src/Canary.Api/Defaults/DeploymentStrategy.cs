namespace Canary.Api.Defaults;

/// <summary>Rollout strategy derived from the analysis (Flagger's <c>DeploymentStrategy()</c>).</summary>
public enum DeploymentStrategy
{
    /// <summary>Progressive traffic shifting by weight (no iterations).</summary>
    Canary,

    /// <summary>Iterations with match conditions: matching requests go to the canary.</summary>
    ABTesting,

    /// <summary>Iterations without match: the canary is tested, then traffic switches at once.</summary>
    BlueGreen,
}

/// <summary>Flagger's names of <see cref="DeploymentStrategy"/> values (used in events, metrics and alerts).</summary>
public static class DeploymentStrategyNames
{
    /// <summary>canary, ab-testing or blue-green.</summary>
    public static string ToFlaggerName(this DeploymentStrategy strategy) => strategy switch
    {
        DeploymentStrategy.ABTesting => "ab-testing",
        DeploymentStrategy.BlueGreen => "blue-green",
        _ => "canary",
    };
}
