namespace Canary.Api.Support;

/// <summary>What a traffic provider can do; validation refuses a spec that asks for anything else.</summary>
/// <param name="SplitsTraffic">Weighted canary steps; false = blue/green by switching only (iterations).</param>
/// <param name="WeightedMirror">Mirroring with the canary strategy (a share of traffic shadowed while weights move).</param>
/// <param name="BlueGreenMirror">Mirroring during blue/green iterations.</param>
/// <param name="Matches">A/B testing: routes requests matching headers/cookies to the canary.</param>
/// <param name="SessionAffinity">Cookie-based stickiness to the canary.</param>
public sealed record ProviderCapabilities(bool SplitsTraffic, bool WeightedMirror, bool BlueGreenMirror, bool Matches, bool SessionAffinity)
{
    /// <summary>Everything (for API-level checks that know no controller).</summary>
    public static ProviderCapabilities All { get; } = new(true, true, true, true, true);

    /// <summary>
    /// The routing fields of <c>spec.service</c> the provider writes into its objects (names as in <see cref="RoutingFields"/>);
    /// the others are refused by field path. Null: not checked.
    /// </summary>
    public IReadOnlyList<string>? ServiceRoutingFields { get; init; }

    /// <summary>
    /// The fields of an <c>analysis.match</c> entry the provider routes on (names as in <see cref="MatchFields"/>); the
    /// others are refused by field path. Null: every field (istio writes the match as it is).
    /// </summary>
    public IReadOnlyList<string>? MatchFieldsUsed { get; init; }

    /// <summary>
    /// What the provider's objects cannot express in the <c>analysis.match</c> entries it does read (e.g. nginx's single
    /// header): (path below <c>match</c>, e.g. <c>[1].headers.x-user</c>, message) for each refusal. Null: none.
    /// </summary>
    public Func<IList<V1Beta1.HttpMatchRequest>, IEnumerable<(string Path, string Message)>>? CheckMatches { get; init; }

    /// <summary>Every field of an <c>analysis.match</c> entry that selects requests (<c>name</c> only labels it).</summary>
    public static IReadOnlyList<string> MatchFields { get; } =
        ["uri", "scheme", "method", "authority", "headers", "port", "sourceLabels", "gateways", "queryParams", "ignoreUriCase", "withoutHeaders", "sourceNamespace"];

    /// <summary>The fields of <see cref="MatchFields"/> <paramref name="match"/> sets.</summary>
    public static IEnumerable<string> MatchFieldsSet(V1Beta1.HttpMatchRequest match)
    {
        ArgumentNullException.ThrowIfNull(match);
        (string Field, bool Set)[] fields =
        [
            ("uri", match.Uri is not null),
            ("scheme", match.Scheme is not null),
            ("method", match.Method is not null),
            ("authority", match.Authority is not null),
            ("headers", match.Headers is { Count: > 0 }),
            ("port", match.Port is not null),
            ("sourceLabels", match.SourceLabels is { Count: > 0 }),
            ("gateways", match.Gateways is { Count: > 0 }),
            ("queryParams", match.QueryParams is { Count: > 0 }),
            ("ignoreUriCase", match.IgnoreUriCase is not null),
            ("withoutHeaders", match.WithoutHeaders is { Count: > 0 }),
            ("sourceNamespace", !string.IsNullOrEmpty(match.SourceNamespace)),
        ];
        return fields.Where(f => f.Set).Select(f => f.Field);
    }

    /// <summary>Every routing field of <c>spec.service</c>, each used by some providers only.</summary>
    public static IReadOnlyList<string> RoutingFields { get; } =
        ["timeout", "backendTimeout", "gateways", "gatewayRefs", "hosts", "delegation", "trafficPolicy", "match", "rewrite", "retries", "headers", "mirror", "corsPolicy"];

    /// <summary>The routing fields <paramref name="service"/> sets.</summary>
    public static IEnumerable<string> RoutingFieldsSet(V1Beta1.CanaryService? service)
    {
        if (service is null)
        {
            yield break;
        }

        (string Field, bool Set)[] fields =
        [
            ("timeout", !string.IsNullOrEmpty(service.Timeout)),
            ("backendTimeout", !string.IsNullOrEmpty(service.BackendTimeout)),
            ("gateways", service.Gateways is { Count: > 0 }),
            ("gatewayRefs", service.GatewayRefs is { Count: > 0 }),
            ("hosts", service.Hosts is { Count: > 0 }),
            ("delegation", service.Delegation == true),
            ("trafficPolicy", service.TrafficPolicy is not null),
            ("match", service.Match is { Count: > 0 }),
            ("rewrite", service.Rewrite is not null),
            ("retries", service.Retries is not null),
            ("headers", service.Headers is not null),
            ("mirror", service.Mirror is { Count: > 0 }),
            ("corsPolicy", service.CorsPolicy is not null),
        ];
        foreach (var (field, set) in fields)
        {
            if (set)
            {
                yield return field;
            }
        }
    }
}
