using Xunit.Abstractions;

namespace Canary.E2E.Chaos;

/// <summary>
/// The controller killed at every phase transition and at chosen points between an object write and the status
/// checkpoint, for every provider and strategy: the release ends as it would have without the crash, no weight step or
/// status is repeated or skipped, and the only webhooks called twice are those of the interrupted tick (which Flagger
/// repeats too). Crash points: both sides of every status checkpoint, plus a seeded sample of the other writes (all of
/// them with CANARY_CHAOS_SOAK=1, see tests/Canary.E2E/README.md).
/// </summary>
public sealed class CrashMatrixTests(ChaosFixture fixture, ITestOutputHelper output) : IClassFixture<ChaosFixture>
{
    private const int SampledWrites = 3;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in ChaosCase.Matrix())
        {
            data.Add(c.Provider, c.Strategy.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_crash_anywhere_in_a_release_changes_nothing_the_user_sees(string provider, string strategy)
    {
        var chaos = new ChaosCase(provider, Enum.Parse<ChaosStrategy>(strategy));
        var driver = new ChaosDriver(fixture, chaos);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var baseline = await driver.RunAsync(crashAt: null, timeout.Token);
        Assert.EndsWith(chaos.Strategy == ChaosStrategy.Rollback ? "Failed" : "Succeeded", baseline.Statuses[^1].Split(' ')[0]);

        var points = CrashPoints(chaos, baseline.Writes).ToList();
        output.WriteLine($"{chaos}: {baseline.Writes.Count} writes, {points.Count} crash points; baseline statuses: {string.Join(" | ", baseline.Statuses)}");
        foreach (var (write, mode) in points)
        {
            var crashed = await driver.RunAsync((write.Number, mode), timeout.Token);
            var where = $"{chaos}, crash {mode} {write}";
            Assert.True(crashed.Crash is not null, $"{where}: the crash point was never reached");
            Assert.Equal(baseline.Outcome, crashed.Outcome);
            AssertSameTrace(Settled(baseline.Statuses), Settled(crashed.Statuses), where, "statuses");
            AssertSameTrace(baseline.Routes, crashed.Routes, where, "routes");
            AssertOnlyTheInterruptedTickRepeated(baseline, crashed, where);
        }

        var phases = string.Join(" > ", baseline.Statuses.Select(st => st.Split(' ')[0]).Where(p => p.Length > 0).Distinct());
        var summary = $"{chaos}: {points.Count} crashes over {baseline.Writes.Count} writes, each ended as the baseline; phases {phases}";
        output.WriteLine(summary);
        var folder = Path.Combine(Infrastructure.Crds.RepositoryRoot(), "artifacts", "chaos");
        Directory.CreateDirectory(folder);
        await File.AppendAllTextAsync(Path.Combine(folder, "crash-matrix.txt"), $"{DateTimeOffset.UtcNow:O} {summary}{Environment.NewLine}");
    }

    /// <summary>Both sides of every checkpoint (every phase transition is one) and a seeded sample of the other writes.</summary>
    private static IEnumerable<(ApiWrite Write, CrashMode Mode)> CrashPoints(ChaosCase chaos, IReadOnlyList<ApiWrite> writes)
    {
        if (Environment.GetEnvironmentVariable("CANARY_CHAOS_SOAK") == "1")
        {
            return writes.SelectMany(w => new[] { (w, CrashMode.BeforeWrite), (w, CrashMode.AfterWrite) });
        }

        var random = new Random(StableSeed(chaos.ToString()));
        var others = writes.Where(w => !w.IsCheckpoint).OrderBy(_ => random.Next()).Take(SampledWrites)
            .Select(w => (w, random.Next(2) == 0 ? CrashMode.BeforeWrite : CrashMode.AfterWrite));
        return writes.Where(w => w.IsCheckpoint)
            .SelectMany(w => new[] { (w, CrashMode.BeforeWrite), (w, CrashMode.AfterWrite) })
            .Concat(others)
            .OrderBy(p => p.Item1.Number);
    }

    // A crash before the first checkpoint leaves a moment with no status, and a restart during initialization may find the
    // primary ready already and go straight to Initialized: neither is a step of the release.
    private static List<string> Settled(IEnumerable<string> statuses) =>
        [.. statuses.Where(s => !s.StartsWith(' ') && !s.StartsWith("Initializing ", StringComparison.Ordinal))];

    private static void AssertSameTrace(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string where, string what) =>
        Assert.True(expected.SequenceEqual(actual), $"{where}: {what} differ\nexpected: {string.Join(" | ", expected)}\nactual:   {string.Join(" | ", actual)}");

    // Hooks Flagger calls on every tick of their phase, so a redone tick may call them again.
    private static readonly HashSet<string> PerTickHooks = ["confirm-rollout", "rollback", "rollout", "confirm-traffic-increase", "confirm-promotion"];

    // Webhook calls (events included): the calls before the crash are the baseline's first ones; after the restart come
    // a redo of the interrupted tick R, then the baseline's calls from some point m on. R may only hold per-tick hooks
    // and calls of the interrupted tick, and the interrupted tick's calls up to m must all have happened (before the crash
    // or in R): nothing skipped, nothing repeated beyond the interrupted tick. "Not ready" events report the cluster,
    // which moves on while the controller is down, so they are left out.
    private static void AssertOnlyTheInterruptedTickRepeated(RolloutRecord baselineRecord, RolloutRecord crashed, string where)
    {
        static bool IsStep(string call) => !call.Contains(" not ready: ", StringComparison.Ordinal);
        List<string> Steps(IEnumerable<string> calls) => [.. calls.Where(IsStep)];
        var (rawBefore, rawTickStart) = crashed.Crash!.Value;
        var baseline = Steps(baselineRecord.Hooks);
        var prefix = Steps(crashed.Hooks.Take(rawBefore));
        var after = Steps(crashed.Hooks.Skip(rawBefore));
        var tickStart = Steps(crashed.Hooks.Take(rawTickStart)).Count;
        var tickEnd = crashed.CrashTick < baselineRecord.TickStarts.Count
            ? Steps(baselineRecord.Hooks.Take(baselineRecord.TickStarts[crashed.CrashTick])).Count
            : baseline.Count;
        var interruptedTick = baseline.Skip(tickStart).Take(tickEnd - tickStart).ToHashSet();
        var show = $"\nbaseline: {string.Join(" | ", baseline)}\nbefore:   {string.Join(" | ", prefix)}\nafter:    {string.Join(" | ", after)}";

        Assert.True(baseline.Take(prefix.Count).SequenceEqual(prefix), $"{where}: calls before the crash differ from the baseline's{show}");
        var m = Enumerable.Range(tickStart, baseline.Count - tickStart + 1)
            .First(k => baseline.Count - k <= after.Count && baseline.Skip(k).SequenceEqual(after.Skip(after.Count - (baseline.Count - k))));
        var redo = after.Take(after.Count - (baseline.Count - m)).ToList();
        var foreign = redo.Where(c => !PerTickHooks.Contains(c) && !interruptedTick.Contains(c)).ToList();
        Assert.True(foreign.Count == 0, $"{where}: after the restart, calls the interrupted tick would not make: {string.Join(" | ", foreign)}{show}");
        var done = prefix.Skip(tickStart).Concat(redo).ToHashSet();
        var skipped = baseline.Skip(tickStart).Take(m - tickStart).Where(c => !done.Contains(c)).ToList();
        Assert.True(skipped.Count == 0, $"{where}: calls skipped: {string.Join(" | ", skipped)}{show}");
        Assert.True(m <= tickEnd || redo.Count == 0 || m <= prefix.Count, $"{where}: the restart resumed past the interrupted tick{show}");
    }

    private static int StableSeed(string text) => text.Aggregate(17, (h, c) => unchecked((h * 31) + c));
}
