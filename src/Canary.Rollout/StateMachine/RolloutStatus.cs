using System.Collections.ObjectModel;
using Canary.Api.V1Beta1;

namespace Canary.Rollout.StateMachine;

/// <summary>
/// The fields of <see cref="CanaryStatus"/> the state machine reads and writes: the rollout's only checkpoint. Immutable, so
/// a decision is a pure function of the status it was given.
/// </summary>
public sealed record RolloutStatus
{
    private static readonly IReadOnlyList<MetricCheckRecord> NoChecks = [];
    private static readonly IReadOnlyList<StepEvidence> NoEvidence = [];
    private static readonly IReadOnlyList<ControlRecord> NoControls = [];
    private static readonly IReadOnlyList<TimelineEntry> NoTimeline = [];
    private static readonly IReadOnlyList<WebhookAnswer> NoWebhooks = [];
    private static readonly IReadOnlyDictionary<string, string> NoConfigs = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Current phase (<see cref="CanaryPhase.None"/> before the first reconcile).</summary>
    public CanaryPhase Phase { get; init; }

    /// <summary>Canary weight last routed (canary strategy), or kept from the analysis while promoting.</summary>
    public int CanaryWeight { get; init; }

    /// <summary>Failed checks of the current analysis.</summary>
    public int FailedChecks { get; init; }

    /// <summary>Iterations done (A/B testing, blue/green).</summary>
    public int Iterations { get; init; }

    /// <summary>Pod template hash of the revision under analysis (or last seen).</summary>
    public string? LastAppliedSpec { get; init; }

    /// <summary>Pod template hash running in the primary.</summary>
    public string? LastPromotedSpec { get; init; }

    /// <summary>Checksums of the tracked ConfigMaps/Secrets of the revision under analysis.</summary>
    public IReadOnlyDictionary<string, string> TrackedConfigs { get; init; } = NoConfigs;

    /// <summary>
    /// Revision checksum whose pre-rollout hooks have passed, so they run once per revision even when the first traffic step
    /// is held by a gate or the controller restarts (Flagger re-runs them, #1248). Stored as a status condition.
    /// </summary>
    public string? PreRolloutPassedFor { get; init; }

    /// <summary>When the current traffic step started: the judge compares both sides from here on.</summary>
    public DateTimeOffset? StepStartTime { get; init; }

    /// <summary>Inconclusive metric checks in a row (judge).</summary>
    public int InconclusiveChecks { get; init; }

    /// <summary>
    /// Set when the judge has had maxInconclusive inconclusive checks in a row and keeps waiting: why (stored as the
    /// Conclusive=False condition); null once a check is conclusive again.
    /// </summary>
    public string? EvidenceShortfall { get; init; }

    /// <summary>Session affinity: <c>name=value</c> cookie pinning users to the canary while its weight is non-zero.</summary>
    public string? SessionAffinityCookie { get; init; }

    /// <summary>Session affinity: <c>name=value</c> cookie pinning users to the primary (kept across rollouts, as Flagger).</summary>
    public string? PrimarySessionAffinityCookie { get; init; }

    /// <summary>Session affinity: the canary cookie of the last rollout, expired (<c>Max-Age=-1</c>) by the routes.</summary>
    public string? PreviousSessionAffinityCookie { get; init; }

    /// <summary>The metric checks of the current rollout, oldest first, at most <see cref="MaxChecks"/>.</summary>
    public IReadOnlyList<MetricCheckRecord> Checks { get; init; } = NoChecks;

    /// <summary>How many checks the status keeps.</summary>
    public const int MaxChecks = 20;

    /// <summary>Judge: each error-type metric's counts per traffic step of the current rollout, oldest first, at most <see cref="MaxEvidence"/>.</summary>
    public IReadOnlyList<StepEvidence> Evidence { get; init; } = NoEvidence;

    /// <summary>How many steps' evidence the status keeps (dropping the oldest only weakens the judge, never misleads it).</summary>
    public const int MaxEvidence = 40;

    /// <summary>A pause control holds the release: checks run and are recorded, the weight never moves, nothing fails.</summary>
    public bool Paused { get; init; }

    /// <summary>A promote control to carry out: <see cref="CanaryControls.PromotionGated"/> or <see cref="CanaryControls.PromotionForced"/>.</summary>
    public string? RequestedPromotion { get; init; }

    /// <summary>A skip-analysis control: the current (or next) release is promoted without analysis.</summary>
    public bool SkipAnalysisOnce { get; init; }

    /// <summary>A retry control: the failed revision starts a new analysis (cleared when it starts).</summary>
    public bool RetryRequested { get; init; }

    /// <summary>Controls handled, oldest first, at most <see cref="MaxControls"/>.</summary>
    public IReadOnlyList<ControlRecord> Controls { get; init; } = NoControls;

    /// <summary>How many handled controls the status keeps (their uids make each request acted on once).</summary>
    public const int MaxControls = 10;

    /// <summary>The current rollout's steps, oldest first, at most <see cref="MaxTimeline"/>.</summary>
    public IReadOnlyList<TimelineEntry> Timeline { get; init; } = NoTimeline;

    /// <summary>How many timeline entries the status keeps.</summary>
    public const int MaxTimeline = 40;

    /// <summary>Each webhook's last answer in the current rollout, at most <see cref="MaxWebhooks"/>.</summary>
    public IReadOnlyList<WebhookAnswer> Webhooks { get; init; } = NoWebhooks;

    /// <summary>How many webhook answers the status keeps.</summary>
    public const int MaxWebhooks = 20;

    /// <summary>True when the machine has never seen a revision (no checkpoint yet).</summary>
    public bool HasNoRevision => string.IsNullOrEmpty(LastAppliedSpec);

    /// <summary>The status as stored on a Canary, with nulls read as zero values.</summary>
    public static RolloutStatus From(CanaryStatus? status) => status is null
        ? new RolloutStatus()
        : new RolloutStatus
        {
            Phase = status.Phase ?? CanaryPhase.None,
            CanaryWeight = status.CanaryWeight ?? 0,
            FailedChecks = status.FailedChecks ?? 0,
            Iterations = status.Iterations ?? 0,
            LastAppliedSpec = status.LastAppliedSpec,
            LastPromotedSpec = status.LastPromotedSpec,
            TrackedConfigs = status.TrackedConfigs is { } configs
                ? new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(configs, StringComparer.Ordinal))
                : NoConfigs,
            PreRolloutPassedFor = Status.RolloutConditions.ReadPreRolloutRevision(status.Conditions),
            StepStartTime = status.StepStartTime is { } start ? new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc)) : null,
            InconclusiveChecks = status.InconclusiveChecks ?? 0,
            EvidenceShortfall = Status.RolloutConditions.ReadEvidenceShortfall(status.Conditions),
            Checks = Status.StatusMapper.ReadChecks(status.Checks),
            Evidence = Status.StatusMapper.ReadEvidence(status.Evidence),
            SessionAffinityCookie = NullIfEmpty(status.SessionAffinityCookie),
            PrimarySessionAffinityCookie = NullIfEmpty(status.PrimarySessionAffinityCookie),
            PreviousSessionAffinityCookie = NullIfEmpty(status.PreviousSessionAffinityCookie),
            Paused = status.Paused ?? false,
            RequestedPromotion = NullIfEmpty(status.RequestedPromotion),
            SkipAnalysisOnce = status.SkipAnalysisOnce ?? false,
            RetryRequested = status.RetryRequested ?? false,
            Controls = Status.StatusMapper.ReadControls(status.Controls),
            Timeline = Status.StatusMapper.ReadTimeline(status.Timeline),
            Webhooks = Status.StatusMapper.ReadWebhooks(status.Webhooks),
        };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>A copy with <paramref name="added"/> appended, keeping the newest <see cref="MaxChecks"/>.</summary>
    public RolloutStatus WithChecks(IEnumerable<MetricCheckRecord> added) => this with { Checks = [.. Checks.Concat(added).TakeLast(MaxChecks)] };

    /// <summary>
    /// A copy with <paramref name="evidence"/> in place of any earlier evidence of the same metric and step (a step's
    /// window grows until it ends, so its last check holds all of it), keeping the newest <see cref="MaxEvidence"/>.
    /// </summary>
    public RolloutStatus WithEvidence(IEnumerable<StepEvidence> evidence)
    {
        var added = evidence.ToList();
        return this with
        {
            Evidence = [.. Evidence.Where(e => !added.Any(a => a.Metric == e.Metric && a.StepStart == e.StepStart)).Concat(added).TakeLast(MaxEvidence)],
        };
    }

    /// <summary>Value equality including the tracked configs' contents (records compare dictionaries by reference).</summary>
    public bool SameAs(RolloutStatus other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with { TrackedConfigs = NoConfigs, Checks = NoChecks, Evidence = NoEvidence, Controls = NoControls, Timeline = NoTimeline, Webhooks = NoWebhooks }
                == other with { TrackedConfigs = NoConfigs, Checks = NoChecks, Evidence = NoEvidence, Controls = NoControls, Timeline = NoTimeline, Webhooks = NoWebhooks }
            && Checks.SequenceEqual(other.Checks)
            && Controls.SequenceEqual(other.Controls)
            && Timeline.SequenceEqual(other.Timeline)
            && Webhooks.SequenceEqual(other.Webhooks)
            && Evidence.SequenceEqual(other.Evidence)
            && TrackedConfigs.Count == other.TrackedConfigs.Count
            && TrackedConfigs.All(kv => other.TrackedConfigs.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }
}
