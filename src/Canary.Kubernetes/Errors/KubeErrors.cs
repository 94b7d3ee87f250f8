using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Kubernetes.Errors;

/// <summary>Classifies errors raised by KubernetesClient, for every layer that talks to the API server.</summary>
public static class KubeErrors
{
    /// <summary>The HTTP status of an API error, or null for other exceptions.</summary>
    public static HttpStatusCode? StatusOf(Exception exception) => exception switch
    {
        HttpOperationException { Response: { } r } => r.StatusCode,
        KubernetesException { Status.Code: { } code } => (HttpStatusCode)code,
        _ => null,
    };

    /// <summary>The API server's Status reason (Conflict, AlreadyExists, Expired...), when it sent one.</summary>
    public static string? ReasonOf(Exception exception)
    {
        if (exception is KubernetesException k)
        {
            return k.Status?.Reason;
        }

        if (exception is not HttpOperationException { Response.Content: { Length: > 0 } content })
        {
            return null;
        }

        try
        {
            return KubernetesJson.Deserialize<V1Status>(content)?.Reason;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>404: the object, or the whole resource (a CRD not installed), does not exist.</summary>
    public static bool IsNotFound(Exception exception) => StatusOf(exception) == HttpStatusCode.NotFound;

    /// <summary>403: the account may not do this (RBAC).</summary>
    public static bool IsForbidden(Exception exception) => StatusOf(exception) == HttpStatusCode.Forbidden;

    /// <summary>410: a resourceVersion or continue token is too old; relist.</summary>
    public static bool IsGone(Exception exception) => StatusOf(exception) == HttpStatusCode.Gone;

    /// <summary>409 on create: the object exists already.</summary>
    public static bool IsAlreadyExists(Exception exception) =>
        StatusOf(exception) == HttpStatusCode.Conflict && ReasonOf(exception) == "AlreadyExists";

    /// <summary>409 on update: someone else wrote first; re-read and re-apply.</summary>
    public static bool IsConflict(Exception exception) =>
        StatusOf(exception) == HttpStatusCode.Conflict && ReasonOf(exception) != "AlreadyExists";

    /// <summary>
    /// Any 409: a stale resourceVersion on update or AlreadyExists on a create that raced another writer. For a
    /// read-modify-write both mean the same thing: read again and recompute.
    /// </summary>
    public static bool IsConflictOrAlreadyExists(Exception exception) => StatusOf(exception) == HttpStatusCode.Conflict;

    /// <summary>Runs a GET and maps 404 to null.</summary>
    public static async Task<T?> OrNullWhenNotFound<T>(Func<Task<T>> get)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(get);
        try
        {
            return await get().ConfigureAwait(false);
        }
        catch (Exception e) when (IsNotFound(e))
        {
            return null;
        }
    }
}
