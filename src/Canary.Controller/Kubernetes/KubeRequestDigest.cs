namespace Canary.Controller.Kubernetes;

/// <summary>The Kubernetes verb and resource of an API request, read from its method and path.</summary>
/// <param name="Verb">get, list, watch, create, update, patch, delete, deletecollection.</param>
/// <param name="Resource">The plural resource (deployments, canaries...), with a subresource as resource/sub.</param>
public readonly record struct KubeRequestDigest(string Verb, string Resource)
{
    /// <summary>Classifies a request.</summary>
    public static KubeRequestDigest From(HttpMethod method, Uri? uri)
    {
        ArgumentNullException.ThrowIfNull(method);
        var segments = uri is null ? [] : uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var skip = segments.Length > 0 && segments[0] == "apis" ? 3 : 2;
        var rest = segments.Skip(skip).ToArray();
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            rest = rest[2..];
        }

        var resource = rest.Length switch
        {
            0 => "unknown",
            >= 3 => $"{rest[0]}/{rest[2]}",
            _ => rest[0],
        };
        var named = rest.Length >= 2;
        var watch = uri?.Query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) == true;
        var verb = method.Method switch
        {
            "GET" when watch => "watch",
            "GET" => named ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => method.Method.ToLowerInvariant(),
        };
        return new KubeRequestDigest(verb, resource);
    }
}
