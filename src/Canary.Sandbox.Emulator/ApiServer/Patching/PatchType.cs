namespace Canary.Sandbox.ApiServer.Patching;

/// <summary>The patch formats a PATCH request may carry, named by their Content-Type.</summary>
public enum PatchType
{
    /// <summary>application/merge-patch+json (RFC 7386).</summary>
    Merge,

    /// <summary>application/json-patch+json (RFC 6902).</summary>
    Json,

    /// <summary>application/strategic-merge-patch+json (built-in kinds only).</summary>
    StrategicMerge,

    /// <summary>application/apply-patch+yaml (server-side apply, approximated as create-or-merge).</summary>
    Apply,
}

/// <summary>Maps Content-Type headers to patch types.</summary>
public static class PatchTypes
{
    public static PatchType FromContentType(string? contentType)
    {
        var media = (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "application/merge-patch+json" => PatchType.Merge,
            "application/json-patch+json" => PatchType.Json,
            "application/strategic-merge-patch+json" => PatchType.StrategicMerge,
            "application/apply-patch+yaml" or "application/apply-patch+json" => PatchType.Apply,
            _ => throw ApiException.UnsupportedPatchType(),
        };
    }

    public static string ContentType(PatchType type) => type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        _ => "application/apply-patch+yaml",
    };
}
