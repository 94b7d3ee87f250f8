using Canary.Api.V1Beta1;

namespace Canary.Rollout.Targets;

/// <summary>Chooses the <see cref="ITarget"/> serving a Canary's <c>targetRef.kind</c>.</summary>
public interface ITargetResolver
{
    /// <summary>The target implementation for <paramref name="canary"/>, by <see cref="TargetKinds.KeyOf"/> (an empty kind is a Deployment).</summary>
    /// <exception cref="TargetException">No implementation serves the kind (validation refuses such a Canary first).</exception>
    ITarget TargetFor(CanaryResource canary);
}

/// <summary><see cref="ITargetResolver"/> over one <see cref="ITarget"/> per kind.</summary>
public sealed class TargetResolver : ITargetResolver
{
    private readonly Dictionary<string, ITarget> _byKind;

    /// <summary>Creates the resolver; each kind must be served once.</summary>
    public TargetResolver(IEnumerable<ITarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _byKind = targets.ToDictionary(t => t.Kind, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public ITarget TargetFor(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var kind = TargetKinds.KeyOf(canary.Spec.TargetRef);
        return _byKind.TryGetValue(kind, out var target)
            ? target
            : throw new TargetException($"targetRef.kind {kind} is not implemented by this controller");
    }
}
