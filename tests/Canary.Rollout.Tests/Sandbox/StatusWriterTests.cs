using Canary.Api.V1Beta1;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Status;
using k8s;

namespace Canary.Rollout.Tests.Sandbox;

/// <summary>The status subresource checkpoint against the emulated API server.</summary>
public sealed class StatusWriterTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private Task<CanaryResource> ReadAsync(string ns) => sandbox.Client.CustomObjects.GetNamespacedCustomObjectAsync<CanaryResource>(
        CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, "podinfo");

    [Fact]
    public async Task Writes_the_status_with_the_Promoted_condition_and_survives_a_concurrent_spec_edit()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var created = await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync<CanaryResource>(
            Objects.Canary(ns), CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName);

        // Someone edits the spec after we read: our write must re-read on 409 and keep their edit.
        var edited = await ReadAsync(ns);
        edited.Spec.Analysis!.Threshold = 7;
        await sandbox.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<CanaryResource>(edited, CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, "podinfo");

        var now = DateTimeOffset.UtcNow;
        var next = new RolloutStatus { Phase = CanaryPhase.Progressing, CanaryWeight = 10, LastAppliedSpec = "abc", PreRolloutPassedFor = "rev" };
        var writer = new KubernetesStatusWriter(sandbox.Controller);
        await writer.WriteAsync(created, latest => StatusMapper.Apply(latest.Status, next, now, latest.Metadata.Generation, "Deployment"), default);

        var stored = await ReadAsync(ns);
        Assert.Equal(7, stored.Spec.Analysis!.Threshold);
        Assert.Equal(CanaryPhase.Progressing, stored.Status!.Phase);
        Assert.Equal(10, stored.Status.CanaryWeight);
        Assert.Equal(stored.Metadata.Generation, stored.Status.ObservedGeneration);
        var promoted = stored.Status.Conditions!.Single(c => c.Type == RolloutConditions.Promoted);
        Assert.Equal(("Unknown", "Progressing", "New revision detected, progressing canary analysis."), (promoted.Status, promoted.Reason, promoted.Message));
        Assert.True(RolloutStatus.From(stored.Status).SameAs(next));
    }

    [Fact]
    public async Task A_status_write_never_changes_the_spec()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var created = await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync<CanaryResource>(
            Objects.Canary(ns), CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName);
        var writer = new KubernetesStatusWriter(sandbox.Controller);

        await writer.WriteAsync(created, latest =>
        {
            latest.Spec.Analysis!.Threshold = 99; // ignored by the status subresource
            return StatusMapper.Apply(latest.Status, new RolloutStatus { Phase = CanaryPhase.Initialized }, DateTimeOffset.UtcNow, latest.Metadata.Generation, "Deployment");
        }, default);

        var stored = await ReadAsync(ns);
        Assert.Equal(2, stored.Spec.Analysis!.Threshold);
        Assert.Equal(CanaryPhase.Initialized, stored.Status!.Phase);
        Assert.Equal("True", stored.Status.Conditions!.Single().Status);
    }
}
