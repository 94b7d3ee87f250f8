namespace Canary.MetricTemplates.Templates;

/// <summary>
/// The data-plane route of each side when the target decides it rather than the Canary spec: for a Knative Service,
/// the latest created revision (canary) and the primary revision. Rendered as <c>{{ route }}</c> (the primary's in the
/// judge's primary-side queries).
/// </summary>
/// <param name="Canary">Route of the release under analysis.</param>
/// <param name="Primary">Route of the stable release, or null when there is none yet.</param>
public sealed record MetricRoutes(string Canary, string? Primary);
