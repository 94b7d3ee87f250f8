using Canary.Api.V1Beta1;
using Canary.Rollout.Engine;
using k8s;

namespace Canary.Rollout.Targets.Autoscalers;

/// <summary>Picks the <see cref="ITargetScaler"/> of a Canary's <c>autoscalerRef.kind</c>; none without an autoscalerRef.</summary>
internal sealed class TargetScalers(IClusterReader reader, IKubernetes client, CopiedMetadata copied)
{
    private readonly HorizontalPodAutoscalerScaler _hpa = new(reader, client, copied);
    private readonly ScaledObjectScaler _keda = new(client, copied);

    public ITargetScaler? For(CanaryResource canary) => canary.Spec.AutoscalerRef switch
    {
        null => null,
        { Kind: AutoscalerKinds.ScaledObject } => _keda,
        { Kind: AutoscalerKinds.HorizontalPodAutoscaler } => _hpa,
        { Kind: var kind } => throw new TargetException($"autoscalerRef.kind {kind} is not implemented"),
    };
}
