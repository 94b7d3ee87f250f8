using Canary.Api.Vocabulary;

namespace Canary.Rollout.Targets;

/// <summary>
/// Which of a target's labels and annotations its generated copies carry (primary workload, autoscaler copies, primary
/// ConfigMaps/Secrets, Service copies): keys matching one of <see cref="IncludePrefixes"/> (Flagger's
/// <c>-include-label-prefix</c>; <c>*</c> matches every key), never the source's GitOps and kubectl keys; and on
/// annotations Flux's markers, so a Kustomization never reverts what the controller writes.
/// </summary>
/// <remarks>
/// Divergences from Flagger: the default is <c>*</c> (Flagger's empty default copies no label at all, so selectors and
/// dashboards that key on <c>app.kubernetes.io/*</c> miss the primary), and the same prefixes apply to labels and
/// annotations at creation and at promotion alike (Flagger copies every annotation at creation but filters them at
/// promotion).
/// </remarks>
public sealed class CopiedMetadata
{
    /// <summary>Copies every key (the default).</summary>
    public static CopiedMetadata All { get; } = new(["*"]);

    /// <summary>Creates the rule for <paramref name="includePrefixes"/> (empty entries match nothing).</summary>
    public CopiedMetadata(IEnumerable<string> includePrefixes)
    {
        ArgumentNullException.ThrowIfNull(includePrefixes);
        IncludePrefixes = [.. includePrefixes];
    }

    /// <summary>The key prefixes copied; <c>*</c> copies all.</summary>
    public IReadOnlyList<string> IncludePrefixes { get; }

    /// <summary>The labels a copy of an object labelled <paramref name="source"/> carries.</summary>
    public Dictionary<string, string> Labels(IDictionary<string, string>? source) => Included(source);

    /// <summary>The annotations a copy of an object annotated <paramref name="source"/> carries, with Flux's markers.</summary>
    public Dictionary<string, string> Annotations(IDictionary<string, string>? source) => GitOpsMarkers.AddTo(Included(source));

    /// <summary>True when <paramref name="key"/> matches a prefix.</summary>
    public bool Includes(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return IncludePrefixes.Any(p => p == "*" || (p.Length > 0 && key.StartsWith(p, StringComparison.Ordinal)));
    }

    private Dictionary<string, string> Included(IDictionary<string, string>? source) =>
        ObjectCopies.Filter(source).Where(kv => Includes(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}
