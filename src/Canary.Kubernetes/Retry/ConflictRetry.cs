using Canary.Kubernetes.Errors;

namespace Canary.Kubernetes.Retry;

/// <summary>
/// Runs a read-modify-write again when the API server answers 409, instead of failing the reconcile: the delegate must
/// re-read (from the API or a fresher cache) and re-apply its change on every attempt. A create that raced another
/// writer (409 AlreadyExists) is retried too: the next read sees the object and updates it instead.
/// </summary>
public static class ConflictRetry
{
    /// <summary>Attempts before the last 409 is let through.</summary>
    public const int DefaultAttempts = 5;

    /// <summary>Runs <paramref name="readModifyWrite"/> up to <paramref name="maxAttempts"/> times while it conflicts.</summary>
    public static async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> readModifyWrite, CancellationToken cancellationToken, int maxAttempts = DefaultAttempts)
    {
        ArgumentNullException.ThrowIfNull(readModifyWrite);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await readModifyWrite(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < maxAttempts && KubeErrors.IsConflictOrAlreadyExists(e))
            {
                // Someone else's write won: loop to read their version and apply ours on top.
            }
        }
    }

    /// <summary>Runs <paramref name="readModifyWrite"/> up to <paramref name="maxAttempts"/> times while it conflicts.</summary>
    public static Task RunAsync(
        Func<CancellationToken, Task> readModifyWrite, CancellationToken cancellationToken, int maxAttempts = DefaultAttempts)
    {
        ArgumentNullException.ThrowIfNull(readModifyWrite);
        return RunAsync(
            async ct =>
            {
                await readModifyWrite(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken,
            maxAttempts);
    }
}
