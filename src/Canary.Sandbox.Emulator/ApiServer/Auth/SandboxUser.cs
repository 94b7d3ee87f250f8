namespace Canary.Sandbox.ApiServer.Auth;

/// <summary>Who sent a request, as the authenticator established it (the fields RBAC subjects match on).</summary>
public sealed record SandboxUser(string Name, IReadOnlyList<string> Groups)
{
    /// <summary>The group whose members bypass authorization, as on a real API server.</summary>
    public const string MastersGroup = "system:masters";

    /// <summary>The identity of the sandbox's own admin token (kubectl, the tests' and the demo's own clients).</summary>
    public static SandboxUser Admin { get; } = new("sandbox-admin", [MastersGroup, "system:authenticated"]);

    public bool IsMaster => Groups.Contains(MastersGroup);

    /// <summary>The user name and groups Kubernetes gives a ServiceAccount token.</summary>
    public static SandboxUser ServiceAccount(string ns, string name) => new(
        $"system:serviceaccount:{ns}:{name}",
        ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]);

    /// <summary>(namespace, name) when this is a ServiceAccount, else null.</summary>
    public (string Namespace, string Name)? ServiceAccountName =>
        Name.Split(':') is ["system", "serviceaccount", var ns, var sa] ? (ns, sa) : null;
}
