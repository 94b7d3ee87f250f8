using System.Net;
using k8s.Autorest;

namespace Canary.Rollout.Targets;

/// <summary>Status-code helpers for idempotent writes.</summary>
internal static class KubeCalls
{
    public static bool IsNotFound(this HttpOperationException e) => e.Response.StatusCode == HttpStatusCode.NotFound;

    public static bool IsConflict(this HttpOperationException e) => e.Response.StatusCode == HttpStatusCode.Conflict;

    /// <summary>Runs a read-modify-write, retrying on 409 with a fresh read.</summary>
    public static async Task RetryOnConflictAsync(Func<Task> update, int attempts = 5)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await update().ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException e) when (e.IsConflict() && attempt < attempts)
            {
            }
        }
    }
}
