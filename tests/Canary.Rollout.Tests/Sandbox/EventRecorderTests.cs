using System.Net;
using Canary.Api.V1Beta1;
using Canary.Rollout.Events;
using Canary.Rollout.StateMachine;
using k8s;

namespace Canary.Rollout.Tests.Sandbox;

/// <summary>An Event is not lost to one bad answer of the API server, and never written twice.</summary>
public sealed class EventRecorderTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    /// <summary>Answers 500 to the first Event create: before sending it (<c>lostAnswer</c> false) or after it landed.</summary>
    private sealed class FirstEventCreateFails(bool lostAnswer) : DelegatingHandler
    {
        private int _creates;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var first = request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal)
                && Interlocked.Increment(ref _creates) == 1;
            if (first && !lostAnswer)
            {
                return new HttpResponseMessage(HttpStatusCode.InternalServerError) { RequestMessage = request, Content = new StringContent("{}") };
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (first)
            {
                response.Dispose();
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request, Content = new StringContent("{}") };
            }

            return response;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_create_answered_5xx_is_tried_again_and_the_event_exists_once(bool lostAnswer)
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await Objects.CreateAllAsync(sandbox.Client, ns, withHpa: false);
        using var client = new k8s.Kubernetes(sandbox.Server.ClientConfiguration(sandbox.ControllerToken), new FirstEventCreateFails(lostAnswer));
        var recorder = new KubernetesEventRecorder(client, TimeProvider.System);

        await recorder.RecordAsync(canary, new RolloutEvent(EventSeverity.Normal, "Advance podinfo canary weight 40", CanaryPhase.Progressing), CancellationToken.None);

        var events = await sandbox.Client.CoreV1.ListNamespacedEventAsync(ns);
        Assert.Single(events.Items, e => e.Message == "Advance podinfo canary weight 40");
    }
}
