using System.Text.Json.Nodes;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.ApiServer.Store;

/// <summary>List parameters: selectors and paging, as the labelSelector/fieldSelector/limit/continue query parameters.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Maximum items per page; 0 or null = all.</summary>
    public int? Limit { get; init; }

    public string? Continue { get; init; }
}

/// <summary>Watch parameters, as the query parameters of a ?watch=true request.</summary>
public sealed record WatchOptions
{
    /// <summary>Resume after this version; null or "0" starts with ADDED events for the current state.</summary>
    public string? ResourceVersion { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Send BOOKMARK events (every <see cref="BookmarkInterval"/> and when the watch times out).</summary>
    public bool AllowBookmarks { get; init; }

    /// <summary>With bookmarks: mark the end of the initial ADDED events with a k8s.io/initial-events-end bookmark.</summary>
    public bool SendInitialEvents { get; init; }

    /// <summary>End the watch after this long (timeoutSeconds).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How often to send bookmarks; null uses the server default.</summary>
    public TimeSpan? BookmarkInterval { get; init; }
}

/// <summary>DeleteOptions: propagation policy and preconditions.</summary>
public sealed record DeleteOptions
{
    /// <summary>Background (default), Foreground or Orphan.</summary>
    public string? PropagationPolicy { get; init; }

    public string? PreconditionUid { get; init; }

    public string? PreconditionResourceVersion { get; init; }

    /// <summary>Reads a metav1.DeleteOptions body.</summary>
    public static DeleteOptions FromJson(JsonObject? body) => new()
    {
        PropagationPolicy = KubeJson.Str(body, "propagationPolicy")
            ?? (body?["orphanDependents"]?.GetValue<bool>() == true ? "Orphan" : null),
        PreconditionUid = KubeJson.Str(body?["preconditions"] as JsonObject, "uid"),
        PreconditionResourceVersion = KubeJson.Str(body?["preconditions"] as JsonObject, "resourceVersion"),
    };
}

/// <summary>A page of a list: the items (private copies), the list's resourceVersion and the continue token.</summary>
public sealed record ObjectList(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue, long? RemainingItemCount);

/// <summary>The outcome of a delete: the object as last seen, and whether it is gone or only marked (finalizers pending).</summary>
public sealed record DeleteResult(JsonObject LastState, bool Removed);
