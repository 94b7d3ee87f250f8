namespace Canary.Sandbox.ApiServer.Auth;

/// <summary>What a resource request asks to do, in the terms RBAC rules are written in.</summary>
public sealed record RequestAttributes(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name)
{
    /// <summary>"deployments" or "deployments/scale", as rules and 403 messages name it.</summary>
    public string CombinedResource => Subresource is null ? Resource : Resource + "/" + Subresource;

    /// <summary>The 403 a real API server answers, word for word (the RBAC authorizer's reason is not shown to clients).</summary>
    public ApiException Forbidden(SandboxUser user)
    {
        var qualified = Group.Length == 0 ? Resource : Resource + "." + Group;
        var subject = Name is null ? qualified : $"{qualified} \"{Name}\"";
        var scope = Namespace is null ? "at the cluster scope" : $"in the namespace \"{Namespace}\"";
        var message = $"{subject} is forbidden: User \"{user.Name}\" cannot {Verb} resource \"{CombinedResource}\" in API group \"{Group}\" {scope}";
        return new ApiException(403, "Forbidden", message, Name, Group, Resource);
    }

    /// <summary>One line for usage and denial reports: "apps deployments/scale update".</summary>
    public string Permission => $"{(Group.Length == 0 ? "core" : Group)} {CombinedResource} {Verb}";
}
