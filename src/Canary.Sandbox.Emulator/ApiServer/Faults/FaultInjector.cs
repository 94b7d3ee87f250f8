namespace Canary.Sandbox.ApiServer.Faults;

/// <summary>
/// Faults the HTTP layer injects: errors at a rate per verb and resource (500, 429 with Retry-After, 503),
/// added latency, and watch streams dropped after a while. Changes apply to the next request. Thread-safe.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private volatile IReadOnlyList<ErrorRule> _rules = [];

    public FaultInjector(int? seed = null)
    {
#pragma warning disable CA5394 // fault sampling needs repeatability, not unpredictability
        _random = seed is { } s ? new Random(s) : new Random();
#pragma warning restore CA5394
    }

    /// <summary>Delay added before every API request is handled.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Every watch stream is cut (connection aborted) this long after it starts; null = never.</summary>
    public TimeSpan? DropWatchesAfter { get; set; }

    /// <summary>The active error rules.</summary>
    public IReadOnlyList<ErrorRule> Rules => _rules;

    /// <summary>Adds an error rule; the first matching rule that fires decides the error.</summary>
    public void AddErrorRule(ErrorRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            _rules = [.. _rules, rule];
        }
    }

    /// <summary>Fails <paramref name="rate"/> of the matching requests with one of the codes (default 500, 429, 503).</summary>
    public void SetErrorRate(double rate, IEnumerable<string>? verbs = null, IEnumerable<string>? resources = null, IEnumerable<int>? statusCodes = null)
    {
        lock (_gate)
        {
            _rules = [];
        }

        if (rate > 0)
        {
            AddErrorRule(new ErrorRule(rate, verbs?.ToHashSet(StringComparer.Ordinal), resources?.ToHashSet(StringComparer.Ordinal), statusCodes?.ToArray() ?? [500, 429, 503]));
        }
    }

    /// <summary>Removes every fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules = [];
        }

        Latency = TimeSpan.Zero;
        DropWatchesAfter = null;
    }

    /// <summary>The status code to fail this request with, or null to let it through.</summary>
    public int? PickError(string verb, string resource)
    {
        foreach (var rule in _rules)
        {
            if (!rule.Matches(verb, resource))
            {
                continue;
            }

            lock (_gate)
            {
#pragma warning disable CA5394 // see constructor
                if (_random.NextDouble() < rule.Rate)
                {
                    return rule.StatusCodes[_random.Next(rule.StatusCodes.Count)];
                }
#pragma warning restore CA5394
            }
        }

        return null;
    }
}

/// <summary>Fail <see cref="Rate"/> (0..1) of requests whose verb and resource are in the sets (null = all) with one of the codes.</summary>
public sealed record ErrorRule(double Rate, IReadOnlySet<string>? Verbs, IReadOnlySet<string>? Resources, IReadOnlyList<int> StatusCodes)
{
    /// <summary>Resources match by plural ("configmaps") or with their subresource ("deployments/status").</summary>
    public bool Matches(string verb, string resource) =>
        (Verbs is null || Verbs.Contains(verb)) &&
        (Resources is null || Resources.Contains(resource) || Resources.Contains(resource.Split('/')[0]));
}
