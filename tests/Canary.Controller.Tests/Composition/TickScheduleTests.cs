using Phase = Canary.Api.V1Beta1.CanaryPhase;
using Canary.Controller.Composition;
using Canary.Controller.Reconciliation;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Controller.Tests.Composition;

public class TickScheduleTests
{
    private static readonly CanaryKey Key = new("ns", "app");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private static CanaryResource Canary(long generation, bool deleting = false, Phase phase = Phase.Progressing) => new()
    {
        Metadata = new V1ObjectMeta { Name = "app", NamespaceProperty = "ns", Generation = generation, DeletionTimestamp = deleting ? DateTime.UtcNow : null },
        Status = new global::Canary.Api.V1Beta1.CanaryStatus { Phase = phase },
    };

    [Fact]
    public void An_event_before_the_requested_time_waits_for_the_rest_of_it()
    {
        var schedule = new TickSchedule(_clock);
        Assert.False(schedule.ShouldWait(Key, Canary(1), out _));
        schedule.Ticked(Key, Canary(1), TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True(schedule.ShouldWait(Key, Canary(1), out var wait));
        Assert.Equal(TimeSpan.FromSeconds(7), wait);

        _clock.Advance(TimeSpan.FromSeconds(7));
        Assert.False(schedule.ShouldWait(Key, Canary(1), out _));
    }

    [Fact]
    public void A_spec_change_or_a_deletion_ticks_at_once()
    {
        var schedule = new TickSchedule(_clock);
        schedule.Ticked(Key, Canary(1), TimeSpan.FromMinutes(1));
        Assert.False(schedule.ShouldWait(Key, Canary(2), out _));
        Assert.False(schedule.ShouldWait(Key, Canary(1, deleting: true), out _));
    }

    [Fact]
    public void An_event_while_initializing_ticks_at_once_so_a_ready_primary_is_seen_without_waiting_for_the_poll()
    {
        var schedule = new TickSchedule(_clock);
        schedule.Ticked(Key, Canary(1, phase: Phase.Initializing), TimeSpan.FromSeconds(10));
        Assert.False(schedule.ShouldWait(Key, Canary(1, phase: Phase.Initializing), out _));
        Assert.True(schedule.ShouldWait(Key, Canary(1, phase: Phase.Progressing), out _));
    }

    [Fact]
    public void Without_a_requested_requeue_any_event_ticks()
    {
        var schedule = new TickSchedule(_clock);
        schedule.Ticked(Key, Canary(1), TimeSpan.FromMinutes(1));
        schedule.Ticked(Key, Canary(1), null);
        Assert.False(schedule.ShouldWait(Key, Canary(1), out _));
    }
}
