using System.Collections.Concurrent;

namespace Canary.Sandbox.ApiServer.Accounting;

/// <summary>Counts of requests answered, per verb (get, list, watch, create, update, patch, delete, deletecollection), resource and status code.</summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<RequestKey, long> _counts = new();
    private long _inFlight;

    /// <summary>
    /// Requests received but not yet counted, watches excepted. A request is counted once its handler has finished,
    /// which can be after the client already read the whole answer: wait for zero before taking a snapshot that must
    /// include every request a client has seen answered.
    /// </summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Marks a (non-watch) request as received; <see cref="Record"/> with <c>inFlight: true</c> ends it.</summary>
    public void Begin() => Interlocked.Increment(ref _inFlight);

    /// <summary>Records one answered request. Resource is the plural, with "/status" or "/scale" for subresources.</summary>
    public void Record(string verb, string resource, int statusCode, bool inFlight = false)
    {
        _counts.AddOrUpdate(new RequestKey(verb, resource, statusCode), 1, static (_, n) => n + 1);
        if (inFlight)
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Total of the requests matching every filter given (null = any).</summary>
    public long Count(string? verb = null, string? resource = null, int? statusCode = null) =>
        _counts.Where(p => (verb is null || p.Key.Verb == verb) && (resource is null || p.Key.Resource == resource) && (statusCode is null || p.Key.StatusCode == statusCode))
            .Sum(p => p.Value);

    /// <summary>A copy of all counters.</summary>
    public IReadOnlyDictionary<RequestKey, long> Snapshot() => new Dictionary<RequestKey, long>(_counts);

    public void Reset() => _counts.Clear();
}

/// <summary>The key of one request counter.</summary>
public readonly record struct RequestKey(string Verb, string Resource, int StatusCode);
