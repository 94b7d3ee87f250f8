using System.Diagnostics;
using Canary.LoadTester.Hey;
using Microsoft.Extensions.Time.Testing;

namespace Canary.LoadTester.Tests.Infrastructure;

/// <summary>
/// Runs a <see cref="LoadRun"/> on a fake clock: whenever every running worker waits for its next tick (its timer set),
/// the clock moves on by <c>step</c>; never while a worker is sending. Schedules are then exact, whatever the machine's speed.
/// </summary>
internal static class FakeClockDriver
{
    public static async Task<LoadSummary> RunAsync(LoadRun run, FakeTimeProvider clock, TimeSpan step)
    {
        var task = run.RunAsync(CancellationToken.None);
        var guard = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (guard.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException($"run not finished: {run.ActiveWorkers} workers running, {run.WaitingWorkers} waiting, clock at {clock.GetUtcNow():O}");
            }

            if (run.ActiveWorkers > 0 && run.WaitingWorkers == run.ActiveWorkers)
            {
                clock.Advance(step);
            }
            else
            {
                await Task.Delay(1);
            }
        }

        return await task;
    }

    /// <summary>Polls <paramref name="condition"/> (real time, 10 s at most): for what happens on other threads.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var guard = Stopwatch.StartNew();
        while (!condition())
        {
            if (guard.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("still waiting for " + what);
            }

            await Task.Delay(5);
        }
    }
}
