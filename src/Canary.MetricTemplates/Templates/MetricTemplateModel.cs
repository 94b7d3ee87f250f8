using Canary.Api.V1Beta1;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.MetricTemplates.Templates;

/// <summary>The values a metric query may use, under Flagger's names (<c>{{ namespace }}</c>, <c>{{ target }}</c>, ...).</summary>
public sealed record MetricTemplateModel
{
    /// <summary>Default metric window, Flagger's.</summary>
    public const string DefaultInterval = "1m";

    private static readonly IReadOnlyDictionary<string, string> NoVariables = new Dictionary<string, string>();

    /// <summary>Canary name: <c>{{ name }}</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Canary namespace: <c>{{ namespace }}</c>.</summary>
    public required string Namespace { get; init; }

    /// <summary>targetRef.name: <c>{{ target }}</c>.</summary>
    public required string Target { get; init; }

    /// <summary>service.name, else the target: <c>{{ service }}</c>.</summary>
    public required string Service { get; init; }

    /// <summary>ingressRef.name, else the target: <c>{{ ingress }}</c>.</summary>
    public required string Ingress { get; init; }

    /// <summary>routeRef.name, else the target (a Knative Service: its latest revision): <c>{{ route }}</c>.</summary>
    public required string Route { get; init; }

    /// <summary>The primary side's <c>{{ route }}</c> in judge queries; null = the same as <see cref="Route"/>.</summary>
    public string? PrimaryRoute { get; init; }

    /// <summary>The metric's window as written, e.g. 1m: <c>{{ interval }}</c>.</summary>
    public string Interval { get; init; } = DefaultInterval;

    /// <summary>Judge queries: the Deployment of the side being measured (target, or target-primary): <c>{{ workload }}</c>.</summary>
    public string Workload { get; init; } = string.Empty;

    /// <summary>Judge queries: canary or primary: <c>{{ side }}</c>.</summary>
    public string Side { get; init; } = JudgeSides.Canary;

    /// <summary>The metric's templateVariables: <c>{{ variables.&lt;key&gt; }}</c>.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = NoVariables;

    /// <summary>Builds the model of one metric of <paramref name="canary"/>, with Flagger's defaults for each name and the target's <paramref name="routes"/>.</summary>
    public static MetricTemplateModel FromCanary(CanaryResource canary, CanaryMetric? metric = null, MetricRoutes? routes = null)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var target = canary.Spec.TargetRef?.Name ?? string.Empty;
        return new MetricTemplateModel
        {
            Name = canary.Metadata.Name ?? string.Empty,
            Namespace = canary.Metadata.NamespaceProperty ?? string.Empty,
            Target = target,
            Service = NonEmpty(canary.Spec.Service?.Name, target),
            Ingress = NonEmpty(canary.Spec.IngressRef?.Name, target),
            Route = routes?.Canary ?? NonEmpty(canary.Spec.RouteRef?.Name, target),
            PrimaryRoute = routes?.Primary,
            Interval = NonEmpty(metric?.Interval, DefaultInterval),
            Workload = target,
            Variables = metric?.TemplateVariables is { } variables
                ? new Dictionary<string, string>(variables, StringComparer.Ordinal)
                : NoVariables,
        };
    }

    private static string NonEmpty(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;
}

/// <summary>Values of <c>{{ side }}</c> in judge queries.</summary>
public static class JudgeSides
{
    /// <summary>The new revision (the target Deployment's pods).</summary>
    public const string Canary = "canary";

    /// <summary>The stable revision (target-primary's pods).</summary>
    public const string Primary = "primary";
}
