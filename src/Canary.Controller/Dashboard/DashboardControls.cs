using Canary.Api.V1Beta1;
using Canary.Api.Validation;
using Canary.Controller.Informers;
using k8s;
using k8s.Models;

namespace Canary.Controller.Dashboard;

/// <summary>What a control button asks: the action, and for promote whether to skip the gates.</summary>
/// <param name="Action">promote, abort, pause, resume, retry or skip-analysis.</param>
/// <param name="Force">promote only: skip the confirm-promotion gates.</param>
/// <param name="Reason">Why, in the release manager's words.</param>
public sealed record DashboardControlRequest(string? Action, bool? Force, string? Reason);

/// <summary>
/// The dashboard's buttons (only with <c>--dashboard-controls</c>): each creates a CanaryRequest owned by its Canary, exactly
/// as <c>kubectl canary ACTION</c> does, and the controller acts on it like any other.
/// </summary>
public sealed class DashboardControls(ControllerCaches caches, IKubernetes client)
{
    /// <summary>Creates the request; null and a message when the Canary does not exist or the request is invalid.</summary>
    public async Task<(CanaryRequest? Created, string? Problem)> AskAsync(string ns, string name, DashboardControlRequest ask, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ask);
        if (caches.Canaries.Store.Get(ns, name) is not { } canary)
        {
            return (null, $"canary {ns}/{name} not found");
        }

        var request = CanaryRequest.For(canary, ask.Action ?? string.Empty, ask.Force == true, string.IsNullOrWhiteSpace(ask.Reason) ? null : ask.Reason);
        request.Metadata.Labels = new Dictionary<string, string> { ["app.kubernetes.io/created-by"] = "canary-dashboard" };
        var validation = CanaryValidation.Validate(request);
        if (!validation.IsValid)
        {
            return (null, validation.Summary);
        }

        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<CanaryRequest>(
            request, CanaryApi.Group, CanaryApi.Version, ns, CanaryRequest.KubePluralName, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (created, null);
    }
}
