using System.Collections.Concurrent;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.ApiServer.Auth;

/// <summary>
/// The opt-in authentication and authorization of a <see cref="SandboxApiServer"/> (<see cref="SandboxApiServerOptions.EnforceRbac"/>):
/// issues ServiceAccount tokens, decides each request, and records which rules allowed what and what was refused, so
/// a suite can show the controller's ClusterRole is both sufficient (no refusals) and minimal (every rule used).
/// </summary>
public sealed class RbacEnforcement
{
    private readonly ConcurrentDictionary<RuleUse, byte> _used = new();
    private readonly ConcurrentDictionary<string, byte> _denied = new(StringComparer.Ordinal);

    internal RbacEnforcement(ObjectStore store, bool enabled)
    {
        Enabled = enabled;
        Tokens = new ServiceAccountTokens(store);
        Authorizer = new RbacAuthorizer(store);
    }

    /// <summary>False: every request is let through as the admin, as before RBAC existed in the sandbox.</summary>
    public bool Enabled { get; }

    public ServiceAccountTokens Tokens { get; }

    public RbacAuthorizer Authorizer { get; }

    /// <summary>Every (role, rule, permission) that allowed a request so far.</summary>
    public IReadOnlyCollection<RuleUse> Used => [.. _used.Keys];

    /// <summary>Every refused request so far: "user permission namespace/name".</summary>
    public IReadOnlyCollection<string> Denied => [.. _denied.Keys];

    /// <summary>Authenticates and authorizes one resource request; throws the 401 or 403 the real server answers.</summary>
    internal SandboxUser Check(string? authorizationHeader, RequestAttributes? request)
    {
        if (!Enabled)
        {
            return SandboxUser.Admin;
        }

        var user = Tokens.Authenticate(authorizationHeader) ?? throw new ApiException(401, "Unauthorized", "Unauthorized");
        if (request is null || user.IsMaster)
        {
            // Discovery, OpenAPI and /version: what the bootstrap roles system:discovery and system:public-info-viewer give everyone.
            return user;
        }

        if (Authorizer.Authorize(user, request) is { } granted)
        {
            _used.TryAdd(new RuleUse(user.Name, granted.Role, granted.RuleIndex, request.Permission), 0);
            return user;
        }

        _denied.TryAdd($"{user.Name} {request.Permission} {request.Namespace ?? "-"}/{request.Name ?? "*"}", 0);
        throw request.Forbidden(user);
    }

    /// <summary>The environment variable naming the folder where <see cref="WriteReportIfRequested"/> leaves reports (test.sh sets it).</summary>
    public const string ReportDirectoryVariable = "CANARY_RBAC_USAGE_DIR";

    /// <summary>Writes a report (<see cref="WriteReport"/>) when <see cref="ReportDirectoryVariable"/> is set and RBAC is enforced; returns its path.</summary>
    public string? WriteReportIfRequested(string label) =>
        Enabled && Environment.GetEnvironmentVariable(ReportDirectoryVariable) is { Length: > 0 } directory ? WriteReport(directory, label) : null;

    /// <summary>
    /// Writes the usage and refusals to a new file in <paramref name="directory"/> (one file per server, so parallel test
    /// processes never share one): lines "used USER ROLE RULE GROUP RESOURCE VERB" and "denied ...".
    /// </summary>
    public string WriteReport(string directory, string label)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{label}-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        var lines = _used.Keys.Select(u => $"used {u.User} {u.Role} {u.RuleIndex} {u.Permission}")
            .Concat(_denied.Keys.Select(d => "denied " + d))
            .Order(StringComparer.Ordinal);
        File.WriteAllLines(path, lines);
        return path;
    }
}

/// <summary>One permission a rule granted: "apps deployments/scale update" through rule 3 of "ClusterRole/canary-controller".</summary>
public sealed record RuleUse(string User, string Role, int RuleIndex, string Permission);
