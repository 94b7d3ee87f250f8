namespace Canary.Manifests.Tests;

/// <summary>
/// The controller's RBAC measured against the whole suite: the end-to-end, demo and provider tests run the controller
/// as its ServiceAccount on sandboxes that enforce RBAC and leave a record of every rule used and every request refused
/// (test.sh collects them, then runs this check). Sufficient: no request of the controller was refused. Minimal: every
/// verb on every resource the ClusterRole and Role grant was used by some test, or is listed below with the reason it
/// is kept anyway.
/// </summary>
public sealed class RbacCoverageTests
{
    /// <summary>Set by test.sh to the folder of usage reports once every other test has run.</summary>
    public const string ReportsVariable = "CANARY_RBAC_COVERAGE_CHECK";

    private const string ControllerUser = "system:serviceaccount:canary-system:canary-controller";

    /// <summary>The account the control tests bind to the canary-operator ClusterRole (tests/Canary.E2E/Scenarios/ControlTests.cs).</summary>
    public const string OperatorUser = "system:serviceaccount:release-managers:release-manager";

    // Granted but never exercised by a test, each for a reason a real cluster has and the sandbox does not.
    private static readonly Dictionary<string, string> KeptUnused = new(StringComparer.Ordinal)
    {
        ["canary.dev/canaries/finalizers:update"] =
            "checked only by the OwnerReferencesPermissionEnforcement admission plugin (OpenShift, some managed clusters) when the primary is created with blockOwnerDeletion; the sandbox runs no admission plugins",
    };

    [SuiteCoverageFact]
    public void Every_request_of_the_controller_was_allowed_and_every_granted_verb_was_used_by_the_suite()
    {
        var lines = Directory.GetFiles(Environment.GetEnvironmentVariable(ReportsVariable)!, "*.txt").SelectMany(File.ReadAllLines).ToList();
        Assert.True(lines.Count > 0, $"no RBAC usage reports in {Environment.GetEnvironmentVariable(ReportsVariable)}: run ./test.sh");

        var denied = lines.Where(l => l.StartsWith("denied " + ControllerUser + " ", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(denied.Count == 0, "the controller was refused (the ClusterRole or Role lacks a rule):\n" + string.Join('\n', denied));

        var used = lines.Where(l => l.StartsWith("used " + ControllerUser + " ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .Select(p => $"{(p[4] == "core" ? string.Empty : p[4])}/{p[5]}:{p[6]}")
            .ToHashSet(StringComparer.Ordinal);
        var granted = RbacGrants.Of(Kustomize.Render("manifests/rbac"));
        var unused = granted.Where(g => !used.Contains(g) && !KeptUnused.ContainsKey(g)).Order(StringComparer.Ordinal).ToList();
        Assert.True(unused.Count == 0, $"granted but used by no test ({unused.Count} of {granted.Count}); remove them or say why they are kept:\n" + string.Join('\n', unused));

        var stale = KeptUnused.Keys.Where(k => used.Contains(k) || !granted.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "kept-unused entries that are now used or no longer granted: " + string.Join(", ", stale));
    }
}

/// <summary>
/// The canary-operator ClusterRole measured the same way: every verb it grants was used by kubectl or kubectl-canary in
/// the control tests. (Refusals are not checked here: those tests make forbidden requests on purpose, to show the role
/// grants no more, and assert each 403 themselves.)
/// </summary>
public sealed class OperatorRbacCoverageTests
{
    [SuiteCoverageFact]
    public void Every_verb_the_operator_role_grants_was_used_by_the_control_tests()
    {
        var lines = Directory.GetFiles(Environment.GetEnvironmentVariable(RbacCoverageTests.ReportsVariable)!, "*.txt").SelectMany(File.ReadAllLines).ToList();
        var used = lines.Where(l => l.StartsWith("used " + RbacCoverageTests.OperatorUser + " ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .Select(p => $"{(p[4] == "core" ? string.Empty : p[4])}/{p[5]}:{p[6]}")
            .ToHashSet(StringComparer.Ordinal);
        var granted = RbacGrants.Of(Kustomize.Render("manifests/operator"));
        var unused = granted.Where(g => !used.Contains(g)).Order(StringComparer.Ordinal).ToList();
        Assert.True(unused.Count == 0, $"canary-operator grants verbs no control test used ({unused.Count} of {granted.Count}):\n" + string.Join('\n', unused));
    }
}

/// <summary>A fact that runs only when test.sh asks for the suite-wide RBAC check (<see cref="RbacCoverageTests.ReportsVariable"/>); skipped otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SuiteCoverageFactAttribute : FactAttribute
{
    public SuiteCoverageFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RbacCoverageTests.ReportsVariable)))
        {
            Skip = $"needs the usage reports of the whole suite: ./test.sh sets {RbacCoverageTests.ReportsVariable} after the other tests";
        }
    }
}
