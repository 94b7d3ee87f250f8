using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using k8s.Models;

namespace Canary.Providers.Builders;

/// <summary>
/// Pure builder of the Skipper canary Ingress <c>&lt;ingressRef.name&gt;-canary</c> (as fluxcd/flagger
/// <c>pkg/router/skipper.go</c>), and the reader of the split back out of it.
/// </summary>
/// <remarks>
/// The user's Ingress with every path to the apex Service pointed at <c>&lt;apex&gt;-primary</c>, plus a copy of that
/// path to <c>&lt;apex&gt;-canary</c> at the end of the rule. <c>zalando.org/backend-weights</c> holds both weights (JSON,
/// keys sorted as Go writes a map); <c>zalando.org/skipper-predicate</c> starts with <c>Weight(100)</c> while the canary
/// has a share, so Skipper prefers these routes over the user's Ingress, and with <c>False()</c> at weight 0, so the
/// user's Ingress (apex Service → primary pods) serves everything. The user's other predicates follow, joined by
/// <c>&amp;&amp;</c>.
/// </remarks>
public static class SkipperIngressBuilder
{
    /// <summary>Skipper's per-backend weights annotation.</summary>
    public const string BackendWeights = "zalando.org/backend-weights";

    /// <summary>Skipper's extra route predicates annotation.</summary>
    public const string Predicate = "zalando.org/skipper-predicate";

    private const string Preferred = "Weight(100)";
    private const string Disabled = "False()";

    /// <summary>The canary Ingress cloned from <paramref name="original"/> carrying <paramref name="routes"/>.</summary>
    public static V1Ingress Build(CanaryResource canary, V1Ingress original, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(original);
        var annotations = ObjectMetadata.Generated(ObjectMetadata.CopiedAnnotations(original.Metadata.Annotations));
        return new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = new V1ObjectMeta
            {
                Name = CanaryNames.CanaryIngress(original.Metadata.Name),
                NamespaceProperty = CanaryNames.Namespace(canary),
                Labels = ObjectMetadata.Filtered(original.Metadata.Labels) is { Count: > 0 } labels ? labels : null,
                Annotations = RouteAnnotations(canary, annotations, routes),
                OwnerReferences = [ObjectMetadata.OwnerReference(canary)],
            },
            Spec = CanarySpec(canary, original),
        };
    }

    /// <summary>The original's spec: each path to the apex now to the primary, and a copy of it to the canary.</summary>
    public static V1IngressSpec CanarySpec(CanaryResource canary, V1Ingress original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var names = CanaryNames.Services(canary);
        var spec = JsonNodes.ToKube<V1IngressSpec>(JsonNodes.FromKube(original.Spec ?? new V1IngressSpec())!);
        var found = false;
        foreach (var rule in spec.Rules ?? [])
        {
            var paths = rule.Http?.Paths;
            if (paths is null)
            {
                continue;
            }

            foreach (var path in paths.ToList())
            {
                if (path.Backend?.Service is { } backend && backend.Name == names.Apex)
                {
                    backend.Name = names.Primary;
                    var copy = JsonNodes.ToKube<V1HTTPIngressPath>(JsonNodes.FromKube(path)!);
                    copy.Backend.Service.Name = names.Canary;
                    paths.Add(copy);
                    found = true;
                }
            }
        }

        return found
            ? spec
            : throw new TrafficRouterException($"backend {names.Apex} not found in ingress {original.Metadata.Name}.{original.Metadata.NamespaceProperty}");
    }

    /// <summary><paramref name="current"/> with the weights and the route predicate of <paramref name="routes"/>.</summary>
    public static Dictionary<string, string> RouteAnnotations(CanaryResource canary, IDictionary<string, string>? current, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var names = CanaryNames.Services(canary);
        var result = new Dictionary<string, string>(current ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var weights = new SortedDictionary<string, int>(StringComparer.Ordinal) { [names.Primary] = routes.PrimaryWeight, [names.Canary] = routes.CanaryWeight };
        result[BackendWeights] = JsonSerializer.Serialize(weights);
        result[Predicate] = WithFirst(result.GetValueOrDefault(Predicate), routes.CanaryWeight > 0 ? Preferred : Disabled);
        return result;
    }

    /// <summary>The split in <c>zalando.org/backend-weights</c>; a missing or unreadable annotation or entry is an error naming it.</summary>
    public static RouteState ReadRoutes(CanaryResource canary, V1Ingress canaryIngress)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(canaryIngress);
        var names = CanaryNames.Services(canary);
        var where = $"ingress {canaryIngress.Metadata.Name}.{canaryIngress.Metadata.NamespaceProperty}";
        if (canaryIngress.Metadata.Annotations?.TryGetValue(BackendWeights, out var text) != true)
        {
            throw new TrafficRouterException($"{where} has no {BackendWeights} annotation");
        }

        JsonObject? weights;
        try
        {
            weights = JsonNode.Parse(text!) as JsonObject;
        }
        catch (JsonException)
        {
            weights = null;
        }

        return new RouteState(Weight(weights, names.Primary, where), Weight(weights, names.Canary, where), false);
    }

    // Skipper takes weights as numbers (int or float) and ratios; Flagger writes integers out of 100.
    private static int Weight(JsonObject? weights, string service, string where) =>
        weights?[service] is JsonValue value && value.TryGetValue<double>(out var number) && number is >= 0 and <= 100
            ? (int)Math.Round(number, MidpointRounding.AwayFromZero)
            : throw new TrafficRouterException(string.Create(CultureInfo.InvariantCulture, $"{where}: {BackendWeights} has no weight 0-100 for {service}"));

    // Flagger's insertPredicate: ours first, the user's after, our earlier ones dropped.
    private static string WithFirst(string? raw, string first) => string.Join(" && ", (raw ?? string.Empty)
        .Split("&&", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Where(p => p is not Preferred and not Disabled)
        .Prepend(first));
}
