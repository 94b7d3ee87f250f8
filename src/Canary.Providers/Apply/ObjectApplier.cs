using Canary.Kubernetes.Errors;
using Canary.Providers.Routing;

namespace Canary.Providers.Apply;

/// <summary>
/// The one read-modify-write loop every router uses: read the live object, compute what to write from it, create or
/// replace, and on 409 Conflict (someone wrote in between, or created it first) read again and recompute. The first
/// read may come from the controller's cache (<see cref="IObjectCache"/>); every retry reads the live object.
/// </summary>
internal sealed class ObjectApplier(int maxAttempts)
{
    private readonly int _maxAttempts = Math.Max(1, maxAttempts);

    /// <summary>
    /// Creates or updates <paramref name="name"/>. <paramref name="compute"/> receives the live object (null when absent)
    /// and returns the object to write, or null when the live object is already as wanted. Returns what the server holds.
    /// </summary>
    public async Task<T?> ApplyAsync<T>(
        IResourceClient<T> client, string ns, string name, Func<T?, T?> compute, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = attempt == 1 && client.TryGetCached(ns, name, out var cached)
                ? cached
                : await client.GetAsync(ns, name, cancellationToken);
            var desired = compute(current);
            if (desired is null)
            {
                return current;
            }

            try
            {
                return current is null
                    ? await client.CreateAsync(ns, desired, cancellationToken)
                    : await client.ReplaceAsync(ns, name, desired, cancellationToken);
            }
            catch (Exception e) when (KubeErrors.IsConflictOrAlreadyExists(e))
            {
                if (attempt >= _maxAttempts)
                {
                    throw new TrafficRouterException(
                        $"{client.Kind} {name}.{ns}: still conflicting after {attempt} attempts, giving up until the next reconcile", e);
                }
            }
        }
    }

    /// <summary>Like <see cref="ApplyAsync{T}"/> for an object that must already exist (SetRoutes, Finalize).</summary>
    public async Task<T> UpdateAsync<T>(
        IResourceClient<T> client, string ns, string name, Func<T, T?> mutate, CancellationToken cancellationToken)
        where T : class
    {
        var result = await ApplyAsync<T>(
            client,
            ns,
            name,
            current => current is null
                ? throw new TrafficRouterException($"{client.Kind} {name}.{ns} not found; the router must reconcile it first")
                : mutate(current),
            cancellationToken);
        return result!;
    }
}
