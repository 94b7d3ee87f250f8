namespace Canary.Sandbox.ApiServer.Http;

/// <summary>What a URL path addresses: a discovery or OpenAPI document, or a resource (collection, object, subresource).</summary>
internal sealed record ApiPath
{
    public required ApiPathKind Kind { get; init; }

    public string Group { get; init; } = string.Empty;

    public string Version { get; init; } = string.Empty;

    public string? Namespace { get; init; }

    public string Resource { get; init; } = string.Empty;

    public string? Name { get; init; }

    public string? Subresource { get; init; }

    /// <summary>For OpenAPI v3 documents: "api/v1" or "apis/{group}/{version}".</summary>
    public string? DocumentKey { get; init; }

    /// <summary>Resource label for counters and fault rules: "deployments" or "deployments/scale".</summary>
    public string ResourceLabel => Subresource is null ? Resource : Resource + "/" + Subresource;

    public static ApiPath Parse(string path)
    {
        var s = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return s switch
        {
            [] => new ApiPath { Kind = ApiPathKind.Root },
            ["version"] => new ApiPath { Kind = ApiPathKind.Version },
            ["healthz" or "readyz" or "livez", ..] => new ApiPath { Kind = ApiPathKind.Health },
            ["api"] => new ApiPath { Kind = ApiPathKind.CoreVersions },
            ["api", var v] => new ApiPath { Kind = ApiPathKind.GroupVersion, Version = v },
            ["api", var v, .. var rest] => ResourcePath(string.Empty, v, rest),
            ["apis"] => new ApiPath { Kind = ApiPathKind.Groups },
            ["apis", var g] => new ApiPath { Kind = ApiPathKind.Group, Group = g },
            ["apis", var g, var v] => new ApiPath { Kind = ApiPathKind.GroupVersion, Group = g, Version = v },
            ["apis", var g, var v, .. var rest] => ResourcePath(g, v, rest),
            ["openapi", "v3"] => new ApiPath { Kind = ApiPathKind.OpenApiIndex },
            ["openapi", "v3", .. var rest] => new ApiPath { Kind = ApiPathKind.OpenApiDocument, DocumentKey = string.Join('/', rest) },
            _ => new ApiPath { Kind = ApiPathKind.Unknown },
        };
    }

    private static ApiPath ResourcePath(string group, string version, string[] rest) => rest switch
    {
        ["namespaces", var ns, "status" or "finalize"] => Item(group, version, null, "namespaces", ns, rest[2]),
        ["namespaces", var ns, var resource] => Item(group, version, ns, resource, null, null),
        ["namespaces", var ns, var resource, var name] => Item(group, version, ns, resource, name, null),
        ["namespaces", var ns, var resource, var name, var sub] => Item(group, version, ns, resource, name, sub),
        [var resource] => Item(group, version, null, resource, null, null),
        [var resource, var name] => Item(group, version, null, resource, name, null),
        [var resource, var name, var sub] => Item(group, version, null, resource, name, sub),
        _ => new ApiPath { Kind = ApiPathKind.Unknown },
    };

    private static ApiPath Item(string group, string version, string? ns, string resource, string? name, string? sub) => new()
    {
        Kind = ApiPathKind.Resource,
        Group = group,
        Version = version,
        Namespace = ns,
        Resource = resource,
        Name = name,
        Subresource = sub,
    };
}

/// <summary>The kinds of paths the server answers.</summary>
internal enum ApiPathKind
{
    Unknown,
    Root,
    Version,
    Health,
    CoreVersions,
    Groups,
    Group,
    GroupVersion,
    OpenApiIndex,
    OpenApiDocument,
    Resource,
}
