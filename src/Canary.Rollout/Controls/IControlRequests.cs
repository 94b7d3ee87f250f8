using Canary.Api.V1Beta1;

namespace Canary.Rollout.Controls;

/// <summary>The CanaryRequests of a Canary: read them, and say on each what became of it.</summary>
public interface IControlRequests
{
    /// <summary>Every CanaryRequest in <paramref name="ns"/> naming the Canary <paramref name="canary"/>, handled or not.</summary>
    Task<IReadOnlyList<CanaryRequest>> ListAsync(string ns, string canary, CancellationToken cancellationToken);

    /// <summary>Writes the request's status (once; a request deleted meanwhile is fine).</summary>
    Task MarkHandledAsync(CanaryRequest request, CanaryRequestStatus status, CancellationToken cancellationToken);
}
