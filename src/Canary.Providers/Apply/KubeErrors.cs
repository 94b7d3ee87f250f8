using System.Net;
using k8s.Autorest;

namespace Canary.Providers.Apply;

/// <summary>Classification of API server errors surfaced by KubernetesClient.</summary>
internal static class KubeErrors
{
    public static bool IsNotFound(Exception exception) => Is(exception, HttpStatusCode.NotFound);

    /// <summary>409: a stale resourceVersion on update, or AlreadyExists on create; both mean re-read and recompute.</summary>
    public static bool IsConflict(Exception exception) => Is(exception, HttpStatusCode.Conflict);

    private static bool Is(Exception exception, HttpStatusCode code) =>
        exception is HttpOperationException { Response: { } response } && response.StatusCode == code;

    /// <summary>Runs a GET and maps 404 to null.</summary>
    public static async Task<T?> OrNullWhenNotFound<T>(Func<Task<T>> get)
        where T : class
    {
        try
        {
            return await get();
        }
        catch (HttpOperationException e) when (IsNotFound(e))
        {
            return null;
        }
    }
}
