using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>A simulator on a fake clock and a seeded random: ticks happen only when the test advances time.</summary>
internal sealed class SimulatorRun : IAsyncDisposable
{
    private SimulatorRun(TrafficSimulator simulator, FakeTimeProvider time, TrafficApp app)
    {
        Simulator = simulator;
        Time = time;
        App = app;
    }

    public TrafficSimulator Simulator { get; }

    public FakeTimeProvider Time { get; }

    public TrafficApp App { get; }

    public TrafficStatistics Statistics => Simulator.Statistics(App.Namespace, App.Name);

    public static async Task<SimulatorRun> StartAsync(ObjectStore store, TrafficApp app, int seed = 20240601)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var simulator = new TrafficSimulator(store, new TrafficSimulatorOptions { TimeProvider = time, Seed = seed, Apps = [app] });
        await simulator.StartAsync();
        return new SimulatorRun(simulator, time, app);
    }

    /// <summary>Waits (real time) until the watch-fed view satisfies <paramref name="condition"/>, e.g. after an edit.</summary>
    public async Task WaitForRoutesAsync(Func<IReadOnlyList<SegmentRoute>, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition(Simulator.Preview(App.Namespace, App.Name)))
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>Simulated time in 100 ms ticks; returns the requests of that period only.</summary>
    public TrafficStatistics Run(TimeSpan period)
    {
        var before = Statistics;
        for (var t = TimeSpan.Zero; t < period; t += TimeSpan.FromMilliseconds(100))
        {
            Time.Advance(TimeSpan.FromMilliseconds(100));
        }

        return Statistics.Since(before);
    }

    public ValueTask DisposeAsync() => Simulator.DisposeAsync();
}

/// <summary>Statistical assertions with explicit tolerances.</summary>
internal static class Stats
{
    /// <summary><paramref name="hits"/> of <paramref name="n"/> trials is within 4 binomial sigmas of share <paramref name="p"/>.</summary>
    public static void AssertBinomial(long hits, long n, double p, string what)
    {
        Assert.True(n > 0, $"{what}: no requests");
        var sigma = Math.Sqrt(n * p * (1 - p));
        var expected = n * p;
        Assert.True(
            Math.Abs(hits - expected) <= 4 * sigma,
            $"{what}: {hits}/{n} = {(double)hits / n:P2}, expected {p:P2} ± {4 * sigma / n:P2} (4 sigma)");
    }

    /// <summary><paramref name="count"/> is within 4 sigmas of a Poisson count with mean <paramref name="mean"/>.</summary>
    public static void AssertPoisson(long count, double mean, string what) =>
        Assert.True(Math.Abs(count - mean) <= 4 * Math.Sqrt(mean), $"{what}: {count}, expected {mean} ± {4 * Math.Sqrt(mean):F0} (4 sigma)");
}
