using System.Text.Json.Serialization;
using Canary.Api.Crd;
using Canary.Api.Durations;

namespace Canary.Api.V1Beta1;

/// <summary>How each step of a rollout is validated and how traffic is shifted between steps.</summary>
public sealed class CanaryAnalysis
{
    /// <summary>Time between analysis steps (Go duration, e.g. 1m, 30s). Default 1m; at least 1s.</summary>
    [JsonPropertyName("interval")]
    [CrdPattern(GoDuration.UnsignedPattern)]
    public string? Interval { get; set; }

    /// <summary>Failed checks tolerated before the rollout is rolled back. Default 1 (also when 0).</summary>
    [JsonPropertyName("threshold")]
    [CrdRange(0, int.MaxValue)]
    public int? Threshold { get; set; }

    /// <summary>Canary strategy: highest canary weight before promotion (0-100). Default 100; with stepWeights, their last value.</summary>
    [JsonPropertyName("maxWeight")]
    [CrdRange(0, 100)]
    public int? MaxWeight { get; set; }

    /// <summary>Canary strategy: weight added to the canary at each step (0-100). Exclusive with stepWeights.</summary>
    [JsonPropertyName("stepWeight")]
    [CrdRange(0, 100)]
    public int? StepWeight { get; set; }

    /// <summary>Canary strategy: strictly increasing canary weights, one per step, e.g. [1, 5, 20, 50]. Exclusive with stepWeight.</summary>
    [JsonPropertyName("stepWeights")]
    public IList<int>? StepWeights { get; set; }

    /// <summary>Weight moved back to the primary per step during promotion; 0 routes all traffic to the primary at once. Default 0.</summary>
    [JsonPropertyName("stepWeightPromotion")]
    [CrdRange(0, 100)]
    public int? StepWeightPromotion { get; set; }

    /// <summary>Number of analysis steps of the A/B testing (with match) or blue/green (without match) strategy.</summary>
    [JsonPropertyName("iterations")]
    [CrdRange(0, int.MaxValue)]
    public int? Iterations { get; set; }

    /// <summary>Mirror (shadow) traffic to the canary before shifting it. Default false.</summary>
    [JsonPropertyName("mirror")]
    public bool? Mirror { get; set; }

    /// <summary>Percentage of requests mirrored (0-100). Default: all.</summary>
    [JsonPropertyName("mirrorWeight")]
    [CrdRange(0, 100)]
    public int? MirrorWeight { get; set; }

    /// <summary>Percentage of primary replicas that must be available (0-100). Default 100.</summary>
    [JsonPropertyName("primaryReadyThreshold")]
    [CrdRange(0, 100)]
    public int? PrimaryReadyThreshold { get; set; }

    /// <summary>Percentage of canary replicas that must be available (0-100). Default 100.</summary>
    [JsonPropertyName("canaryReadyThreshold")]
    [CrdRange(0, 100)]
    public int? CanaryReadyThreshold { get; set; }

    /// <summary>A/B testing: requests matching any of these go to the canary. Requires iterations.</summary>
    [JsonPropertyName("match")]
    public IList<HttpMatchRequest>? Match { get; set; }

    /// <summary>Canary strategy: keep users on the version they first reached, by cookie.</summary>
    [JsonPropertyName("sessionAffinity")]
    public SessionAffinity? SessionAffinity { get; set; }

    /// <summary>Opt-in: compare the canary with the primary statistically instead of against absolute ranges alone (see README, "The judge").</summary>
    [JsonPropertyName("judge")]
    public CanaryJudge? Judge { get; set; }

    /// <summary>Metric checks run at every step.</summary>
    [JsonPropertyName("metrics")]
    public IList<CanaryMetric>? Metrics { get; set; }

    /// <summary>Webhooks called during the rollout (gates, load tests, checks, notifications).</summary>
    [JsonPropertyName("webhooks")]
    public IList<CanaryWebhook>? Webhooks { get; set; }

    /// <summary>Alert providers notified of rollout events.</summary>
    [JsonPropertyName("alerts")]
    public IList<CanaryAlert>? Alerts { get; set; }
}

/// <summary>Cookie-based stickiness of users to the canary during a canary rollout.</summary>
public sealed class SessionAffinity
{
    /// <summary>Name of the cookie that pins a user to the canary.</summary>
    [JsonPropertyName("cookieName")]
    [CrdRequired]
    public string? CookieName { get; set; }

    /// <summary>Name of the cookie that pins a user to the primary; must differ from cookieName.</summary>
    [JsonPropertyName("primaryCookieName")]
    public string? PrimaryCookieName { get; set; }

    /// <summary>Domain attribute of the cookies.</summary>
    [JsonPropertyName("domain")]
    public string? Domain { get; set; }

    /// <summary>HttpOnly attribute of the cookies.</summary>
    [JsonPropertyName("httpOnly")]
    public bool? HttpOnly { get; set; }

    /// <summary>Max-Age of the cookies in seconds. Default 86400.</summary>
    [JsonPropertyName("maxAge")]
    [CrdRange(0, int.MaxValue)]
    public int? MaxAge { get; set; }

    /// <summary>Partitioned attribute of the cookies.</summary>
    [JsonPropertyName("partitioned")]
    public bool? Partitioned { get; set; }

    /// <summary>Path attribute of the cookies.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>SameSite attribute of the cookies: Strict, Lax or None.</summary>
    [JsonPropertyName("sameSite")]
    [CrdEnum("Strict", "Lax", "None")]
    public string? SameSite { get; set; }

    /// <summary>Secure attribute of the cookies.</summary>
    [JsonPropertyName("secure")]
    public bool? Secure { get; set; }
}
