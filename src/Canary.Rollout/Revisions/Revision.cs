using System.Collections.ObjectModel;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.Revisions;

/// <summary>One revision of the target: the pod template hash plus the checksums of the ConfigMaps/Secrets it uses.</summary>
/// <param name="SpecHash">Hash of the pod template (see <see cref="PodTemplateHasher"/>).</param>
/// <param name="Configs">Checksums keyed <c>configmap/&lt;name&gt;</c> / <c>secret/&lt;name&gt;</c>.</param>
public sealed record Revision(string SpecHash, IReadOnlyDictionary<string, string> Configs)
{
    /// <summary>A revision without tracked configs.</summary>
    public Revision(string specHash)
        : this(specHash, ReadOnlyDictionary<string, string>.Empty)
    {
    }

    /// <summary>Identity of the revision (the webhook payload checksum of this spec hash and configs).</summary>
    public string Checksum => CanaryChecksum.Compute(new Dictionary<string, string>(Configs, StringComparer.Ordinal), SpecHash);
}
