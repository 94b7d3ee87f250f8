using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.ApiServer.Auth;

/// <summary>
/// Kubernetes' RBAC authorizer over the Roles, ClusterRoles and bindings in the store: ClusterRoleBindings grant
/// everywhere, RoleBindings only in their namespace; a rule matches on API group, verb, resource (with subresource,
/// <c>*</c> and <c>*/sub</c>) and resourceNames. Read on every request, so a rule changed through the API counts at once.
/// </summary>
public sealed class RbacAuthorizer(ObjectStore store)
{
    /// <summary>The role and rule that allowed a request, or null when none did.</summary>
    public GrantingRule? Authorize(SandboxUser user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        foreach (var binding in store.List(BuiltInResources.ClusterRoleBindings, null).Items.OrderBy(NameOf, StringComparer.Ordinal))
        {
            if (Match(binding, bindingNamespace: null, user, request) is { } granted)
            {
                return granted;
            }
        }

        if (request.Namespace is null)
        {
            return null;
        }

        foreach (var binding in store.List(BuiltInResources.RoleBindings, request.Namespace).Items.OrderBy(NameOf, StringComparer.Ordinal))
        {
            if (Match(binding, request.Namespace, user, request) is { } granted)
            {
                return granted;
            }
        }

        return null;
    }

    private GrantingRule? Match(JsonObject binding, string? bindingNamespace, SandboxUser user, RequestAttributes request)
    {
        if (!(binding["subjects"] as JsonArray ?? []).OfType<JsonObject>().Any(s => SubjectMatches(s, user)))
        {
            return null;
        }

        var roleRef = binding["roleRef"] as JsonObject;
        var kind = (string?)roleRef?["kind"];
        var name = (string?)roleRef?["name"];
        if (name is null || kind is not ("ClusterRole" or "Role") || (kind == "Role" && bindingNamespace is null))
        {
            return null;
        }

        var role = TryGet(kind == "Role" ? BuiltInResources.Roles : BuiltInResources.ClusterRoles, kind == "Role" ? bindingNamespace : null, name);
        var rules = (role?["rules"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < rules.Count; i++)
        {
            if (RuleAllows(rules[i], request))
            {
                return new GrantingRule(kind == "Role" ? $"Role/{bindingNamespace}/{name}" : $"ClusterRole/{name}", i);
            }
        }

        return null;
    }

    private static bool SubjectMatches(JsonObject subject, SandboxUser user) => (string?)subject["kind"] switch
    {
        "ServiceAccount" => user.ServiceAccountName is { } sa
            && (string?)subject["name"] == sa.Name && (string?)subject["namespace"] == sa.Namespace,
        "User" => (string?)subject["name"] == user.Name,
        "Group" => user.Groups.Contains((string?)subject["name"] ?? string.Empty),
        _ => false,
    };

    private static bool RuleAllows(JsonObject rule, RequestAttributes request)
    {
        var verbs = Strings(rule, "verbs");
        var groups = Strings(rule, "apiGroups");
        var resources = Strings(rule, "resources");
        var names = Strings(rule, "resourceNames");
        return (verbs.Contains("*") || verbs.Contains(request.Verb))
            && (groups.Contains("*") || groups.Contains(request.Group))
            && resources.Any(r => r == "*" || r == request.CombinedResource || (request.Subresource is { } sub && r == "*/" + sub))
            && (names.Count == 0 || (request.Name is { } n && names.Contains(n)));
    }

    private static List<string> Strings(JsonObject rule, string field) =>
        [.. (rule[field] as JsonArray ?? []).Select(v => (string?)v).OfType<string>()];

    private JsonObject? TryGet(GroupVersionResource resource, string? ns, string name)
    {
        try
        {
            return store.Get(resource, ns, name);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    private static string NameOf(JsonObject o) => (string?)o["metadata"]?["name"] ?? string.Empty;
}

/// <summary>The rule that allowed a request: its role ("ClusterRole/x" or "Role/ns/x") and its index in <c>rules</c>.</summary>
public sealed record GrantingRule(string Role, int RuleIndex);
