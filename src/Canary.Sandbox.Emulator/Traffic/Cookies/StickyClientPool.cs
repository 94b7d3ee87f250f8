using Canary.Sandbox.Traffic.Routing;

namespace Canary.Sandbox.Traffic.Cookies;

/// <summary>
/// Simulated browsers that keep the cookies they are given (<see cref="TrafficApp.StickyClients"/> per app): each sends
/// its own requests with a <c>Cookie</c> header from its jar, is routed by the app's data plane like any request, and
/// applies the <c>Set-Cookie</c> headers of the route that answered (HTTPRoute ResponseHeaderModifier filters, Istio
/// <c>headers.response</c>). Random choices come from a generator seeded from the simulator's seed and the app, so a
/// seeded run is repeatable and the other clients' draws are untouched. Their requests are counted here only, not in
/// the data-plane metrics or <see cref="TrafficStatistics"/>.
/// </summary>
internal sealed class StickyClientPool(int? seed)
{
    /// <summary>How many received Set-Cookie values a client remembers for inspection.</summary>
    public const int KeptSetCookies = 20;

    private readonly Dictionary<string, (Random Random, List<Client> Clients)> _apps = new(StringComparer.Ordinal);

    /// <summary>Sends the requests of <paramref name="seconds"/> for each sticky client of <paramref name="app"/>.</summary>
    public void Tick(TrafficApp app, IRouting routing, double seconds, DateTimeOffset now)
    {
        if (app.StickyClients <= 0)
        {
            return;
        }

        var (random, clients) = Pool(app);
        foreach (var client in clients)
        {
            // Deterministic thinning: the expected count, the fraction drawn.
            var expected = app.StickyRequestsPerSecond * seconds;
            var n = (int)expected + (random.NextDouble() < expected - Math.Floor(expected) ? 1 : 0);
            for (var i = 0; i < n; i++)
            {
                client.Send(app, routing, random, now);
            }
        }
    }

    /// <summary>The clients of <paramref name="key"/> (empty when it has none).</summary>
    public IReadOnlyList<StickyClientSnapshot> Snapshot(string key, DateTimeOffset now) =>
        _apps.TryGetValue(key, out var pool) ? [.. pool.Clients.Select(c => c.Snapshot(now))] : [];

    private (Random, List<Client>) Pool(TrafficApp app)
    {
        if (!_apps.TryGetValue(app.Key, out var pool) || pool.Clients.Count != app.StickyClients)
        {
            pool = (new Random(seed is { } s ? unchecked(s * 31 + StableHash(app.Key)) : Random.Shared.Next()),
                    [.. Enumerable.Range(0, app.StickyClients).Select(i => new Client(i))]);
            _apps[app.Key] = pool;
        }

        return pool;
    }

    // string.GetHashCode is randomised per process; FNV-1a keeps seeded runs repeatable.
    private static int StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }

    private sealed class Client(int id)
    {
        private readonly CookieJar _jar = new();
        private readonly Dictionary<string, long> _byService = new(StringComparer.Ordinal);
        private readonly Queue<string> _received = new();
        private string? _last;

        public void Send(TrafficApp app, IRouting routing, Random random, DateTimeOffset now)
        {
            var segment = new RequestSegment("sticky", 0, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), _jar.Current(now));
            var decision = routing.Route(app, new SimulatedRequest(app.Path, segment));
            if (decision.LocalStatus is { } status)
            {
                Count($"<{status}>");
                return;
            }

            var index = Pick(decision.Targets, random);
            Count(decision.Targets[index].Service);
            foreach (var setCookie in decision.SetCookiesFor(index))
            {
                _jar.Receive(setCookie, now);
                _received.Enqueue(setCookie);
                if (_received.Count > KeptSetCookies)
                {
                    _received.Dequeue();
                }
            }
        }

        public StickyClientSnapshot Snapshot(DateTimeOffset now) =>
            new(id, _jar.Current(now), new Dictionary<string, long>(_byService, StringComparer.Ordinal), [.. _received], _last);

        private void Count(string service)
        {
            _byService[service] = _byService.GetValueOrDefault(service) + 1;
            _last = service;
        }

        private static int Pick(IReadOnlyList<RouteTarget> targets, Random random)
        {
            var total = targets.Sum(t => Math.Max(0, t.Weight));
            var draw = random.NextDouble() * total;
            for (var i = 0; i < targets.Count; i++)
            {
                draw -= Math.Max(0, targets[i].Weight);
                if (draw < 0)
                {
                    return i;
                }
            }

            return targets.Count - 1;
        }
    }
}
