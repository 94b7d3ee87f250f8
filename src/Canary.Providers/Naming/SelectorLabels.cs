using Canary.Providers.Routing;

namespace Canary.Providers.Naming;

/// <summary>Resolves the pod selector label of a target workload (Flagger's <c>-selector-labels</c> rule).</summary>
public static class SelectorLabels
{
    /// <summary>Flagger's default label keys, in order of preference.</summary>
    public static IReadOnlyList<string> Defaults { get; } = ["app", "name", "app.kubernetes.io/name"];

    /// <summary>
    /// The first of <paramref name="candidates"/> present in <paramref name="matchLabels"/>; throws with Flagger's
    /// message when none is.
    /// </summary>
    public static TargetSelector Resolve(
        IDictionary<string, string>? matchLabels, IEnumerable<string> candidates, string kind, string targetName, string ns)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var keys = candidates.ToList();
        foreach (var key in keys)
        {
            if (matchLabels is not null && matchLabels.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value))
            {
                return new TargetSelector(key, value);
            }
        }

        throw new TrafficRouterException(
            $"{kind.ToLowerInvariant()} {targetName}.{ns} spec.selector.matchLabels must contain one of [{string.Join(' ', keys)}]");
    }
}
