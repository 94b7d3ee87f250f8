namespace Canary.Sandbox.ApiServer;

/// <summary>How to start a <see cref="SandboxApiServer"/>.</summary>
public sealed record SandboxApiServerOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Watch events retained per resource for resuming watches (older versions get 410 Gone).</summary>
    public int HistorySize { get; init; } = 10_000;

    /// <summary>Clock for creationTimestamp/deletionTimestamp and Table ages.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>How often watches that ask for bookmarks receive one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seed for fault sampling, for repeatable fault runs.</summary>
    public int? FaultSeed { get; init; }

    /// <summary>
    /// Authenticate bearer tokens (the admin token and ServiceAccount tokens from <see cref="Auth.RbacEnforcement.Tokens"/>) and
    /// enforce Roles, ClusterRoles and their bindings on every resource request; off lets every request through.
    /// </summary>
    public bool EnforceRbac { get; init; }

    /// <summary>Log requests and Kestrel diagnostics to the console.</summary>
    public bool EnableLogging { get; init; }
}
