using Canary.Controller.Queue;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Controller.Tests.Queue;

public class WorkQueueTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private WorkQueue<string> NewQueue(IBackoff? backoff = null) =>
        new(_time, backoff ?? new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), jitter: 0, random: () => 0));

    [Fact]
    public async Task Adding_a_key_many_times_queues_it_once()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await queue.GetAsync(CancellationToken.None));
        Assert.Equal("b", await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_new_key_is_not_held_back_behind_a_thousand_due_ticks_and_the_ticks_still_get_their_turns()
    {
        using var queue = NewQueue();
        for (var i = 0; i < 1000; i++)
        {
            queue.AddAfter($"tick-{i}", TimeSpan.FromSeconds(2));
        }

        _time.Advance(TimeSpan.FromSeconds(2));
        queue.Add("new-canary");
        queue.Add("changed-canary");

        var handed = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            handed.Add(await queue.GetAsync(CancellationToken.None));
        }

        // Ticks due at the same instant come out in any order; the lanes alternate.
        Assert.Equal(["new-canary", "tick", "changed-canary", "tick"], handed.Select(k => k.StartsWith("tick-", StringComparison.Ordinal) ? "tick" : k));
        Assert.Equal(998, queue.Count);
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_out_again_until_done()
    {
        using var queue = NewQueue();
        queue.Add("a");
        var key = await queue.GetAsync(CancellationToken.None);

        queue.Add("a");
        Assert.Equal(0, queue.Count);
        var second = queue.GetAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);

        queue.Done(key);
        Assert.Equal("a", await second.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Done_without_a_new_add_does_not_requeue()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Done(await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void AddAfter_makes_the_key_ready_when_the_clock_reaches_it()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));

        Assert.Equal(0, queue.Count);
        Assert.Equal(1, queue.WaitingCount);
        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(0, queue.Count);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.WaitingCount);
    }

    [Fact]
    public void The_earliest_schedule_of_a_key_wins()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        queue.AddAfter("a", TimeSpan.FromSeconds(20));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.WaitingCount);
    }

    [Fact]
    public async Task An_immediate_add_replaces_a_pending_schedule()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.Add("a");
        queue.Done(await queue.GetAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Many_keys_on_one_timer_fire_in_due_order()
    {
        using var queue = NewQueue();
        for (var i = 1; i <= 100; i++)
        {
            queue.AddAfter($"k{i}", TimeSpan.FromSeconds(i));
        }

        _time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(50, queue.Count);
        _time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(100, queue.Count);
    }

    [Fact]
    public async Task A_schedule_that_fires_while_processing_requeues_after_done()
    {
        using var queue = NewQueue();
        queue.Add("a");
        var key = await queue.GetAsync(CancellationToken.None);
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, queue.Count);

        queue.Done(key);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task Failures_back_off_exponentially_up_to_the_cap_and_forget_resets()
    {
        using var queue = NewQueue();
        var expected = new[] { 1, 2, 4, 8, 8 };
        foreach (var seconds in expected)
        {
            queue.AddRateLimited("a");
            _time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, queue.Count);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, queue.Count);
            queue.Done(await queue.GetAsync(CancellationToken.None));
        }

        Assert.Equal(5, queue.Failures("a"));
        queue.Forget("a");
        Assert.Equal(0, queue.Failures("a"));
        queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task GetAsync_honours_cancellation()
    {
        using var queue = NewQueue();
        using var cts = new CancellationTokenSource();
        var get = queue.GetAsync(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
    }

    [Fact]
    public async Task Concurrent_workers_never_hold_the_same_key_and_every_add_is_served()
    {
        using var queue = new WorkQueue<int>(TimeProvider.System);
        var holders = new int[20];
        var violations = 0;
        var processed = 0;
        using var cts = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                int key;
                try
                {
                    key = await queue.GetAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (Interlocked.Increment(ref holders[key]) > 1)
                {
                    Interlocked.Increment(ref violations);
                }

                await Task.Yield();
                Interlocked.Decrement(ref holders[key]);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        })).ToArray();

        var rng = new Random(1);
        for (var i = 0; i < 20_000; i++)
        {
            queue.Add(rng.Next(20));
        }

        // Every key added last must be processed after its last add: wait until the queue drains.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((queue.Count > 0 || queue.ProcessingCount > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await cts.CancelAsync();
        await Task.WhenAll(workers);
        Assert.Equal(0, violations);
        Assert.Equal(0, queue.Count);
        Assert.True(processed >= 20);
    }
}
