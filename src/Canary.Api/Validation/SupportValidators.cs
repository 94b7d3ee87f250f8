using Canary.Api.Defaults;
using Canary.Api.Support;
using Canary.Api.V1Beta1;
using FluentValidation;

namespace Canary.Api.Validation;

/// <summary>
/// Refuses what the CRD accepts but this controller does not implement (or the chosen provider cannot do), by field
/// path and with the list of what works, so nothing accepted is silently ignored.
/// </summary>
public sealed class CanarySupportValidator : JsonValidator<V1Beta1.Canary>
{
    /// <summary>Rules for a controller implementing <paramref name="support"/>.</summary>
    public CanarySupportValidator(ApiSupport support)
    {
        ArgumentNullException.ThrowIfNull(support);
        Field(x => x.Spec).SetValidator(new SpecRules(support));
    }

    private sealed class SpecRules : JsonValidator<CanarySpec>
    {
        private const string NotYet = "is not implemented by this controller yet";

        public SpecRules(ApiSupport support)
        {
            Field(x => x.Provider)
                .Must(p => string.IsNullOrEmpty(p) || support.Providers.ContainsKey(p))
                .WithMessage(spec => TrafficProviders.Retired.TryGetValue(spec.Provider!, out var why)
                    ? $"'{spec.Provider}' is not supported: {why}"
                    : $"'{spec.Provider}' {NotYet}; implemented: {ApiSupport.List(support.Providers.Keys)}");
            Field(x => x.TargetRef, "targetRef.kind")
                .Must(t => t?.Kind is not { Length: > 0 } || support.TargetKinds.Contains(TargetKinds.KeyOf(t)))
                .WithMessage(spec => $"'{TargetKinds.KeyOf(spec.TargetRef)}' {NotYet}; implemented: {ApiSupport.List(support.TargetKinds)}");
            Field(x => x.AutoscalerRef, "autoscalerRef.kind")
                .Must(a => a?.Kind is not { Length: > 0 } kind || support.AutoscalerKinds.Contains(kind))
                .WithMessage(spec => $"'{spec.AutoscalerRef!.Kind}' {NotYet}; implemented: {ApiSupport.List(support.AutoscalerKinds)}");
            RuleFor(x => x).Custom((spec, context) =>
            {
                var provider = string.IsNullOrEmpty(spec.Provider) ? support.DefaultProvider : spec.Provider;
                if (spec.UpstreamRef is not null && provider != TrafficProviders.Gloo)
                {
                    context.AddFailure("upstreamRef", $"is only used by the gloo provider (it names the Gloo Upstream whose settings the generated upstreams copy), not by {provider ?? "the default provider"}");
                }
            });
            Field(x => x.Service, "service.meshName").Must(s => string.IsNullOrEmpty(s?.MeshName))
                .WithMessage($"{NotYet} (App Mesh only)");
            Field(x => x.Service, "service.backends").Must(s => s?.Backends is not { Count: > 0 })
                .WithMessage($"{NotYet} (App Mesh only)");
            RuleFor(x => x).Custom((spec, context) => CheckServiceRouting(spec, support, context));
            RuleFor(x => x).Custom((spec, context) => CheckAnalysis(spec, support, context));
            RuleFor(x => x).Custom((spec, context) => CheckTarget(spec, support, context));
        }

        // A routing field the provider never writes into its objects would be silently ignored (Flagger ignores it).
        private static void CheckServiceRouting(CanarySpec spec, ApiSupport support, ValidationContext<CanarySpec> context)
        {
            if (support.CapabilitiesOf(spec.Provider)?.ServiceRoutingFields is not { } used)
            {
                return;
            }

            var provider = string.IsNullOrEmpty(spec.Provider) ? support.DefaultProvider : spec.Provider;
            foreach (var field in ProviderCapabilities.RoutingFieldsSet(spec.Service).Where(f => !used.Contains(f)))
            {
                var users = support.Providers.Where(p => p.Value.ServiceRoutingFields?.Contains(field) != false).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
                context.AddFailure($"service.{field}", users.Count == 0
                    ? $"is not used by provider {provider} (no implemented provider uses it)"
                    : $"is not used by provider {provider} (used by: {string.Join(", ", users)})");
            }
        }

        // What a target kind cannot do: an autoscaler without replicas (DaemonSet, Service), weights for a switch-only kind
        // (DaemonSet), a different apex or a non-splitting provider for a Service target.
        private static void CheckTarget(CanarySpec spec, ApiSupport support, ValidationContext<CanarySpec> context)
        {
            if (spec.TargetRef?.Kind is null)
            {
                return;
            }

            var kind = TargetKinds.KeyOf(spec.TargetRef);
            if (kind == TargetKinds.KnativeService)
            {
                CheckKnativeService(spec.Service, context);
            }

            if (spec.AutoscalerRef is not null && support.AutoscaledTargetKinds is { } autoscaled && support.TargetKinds.Contains(kind) && !autoscaled.Contains(kind))
            {
                context.AddFailure("autoscalerRef", $"does not apply to a {kind} target (it has no replica count to scale)");
            }

            if (support.ServiceTargetKinds.Contains(kind))
            {
                if (spec.Service?.Name is { Length: > 0 } apex && apex != spec.TargetRef!.Name)
                {
                    context.AddFailure("service.name", $"must be empty or the target's name ({spec.TargetRef.Name}) for a {kind} target: the target Service is the apex");
                }


                if (support.CapabilitiesOf(spec.Provider) is { SplitsTraffic: false })
                {
                    var provider = string.IsNullOrEmpty(spec.Provider) ? support.DefaultProvider : spec.Provider;
                    context.AddFailure("provider", $"{provider} cannot route between the -primary and -canary copies of a {kind} target (it only switches an apex Service's selector); use a mesh or an ingress");
                }
            }

            var analysis = spec.EffectiveAnalysis();
            if (analysis is null || !support.SwitchOnlyTargetKinds.Contains(kind))
            {
                return;
            }

            var prefix = spec.Analysis is null ? "canaryAnalysis" : "analysis";
            var why = $"a {kind} target is rolled out blue/green (iterations, then all traffic at once): it takes no traffic weights";
            if (analysis.StepWeight is > 0)
            {
                context.AddFailure($"{prefix}.stepWeight", why);
            }

            if (analysis.StepWeights is { Count: > 0 })
            {
                context.AddFailure($"{prefix}.stepWeights", why);
            }

            if (analysis.MaxWeight is > 0)
            {
                context.AddFailure($"{prefix}.maxWeight", why);
            }

            if (analysis.StepWeightPromotion is > 0)
            {
                context.AddFailure($"{prefix}.stepWeightPromotion", why);
            }
        }

        // Knative makes the Services of each revision itself: what would shape generated Services has nothing to act on.
        private static void CheckKnativeService(CanaryService? service, ValidationContext<CanarySpec> context)
        {
            if (service is null)
            {
                return;
            }

            (string Field, bool Set)[] fields =
            [
                ("portName", !string.IsNullOrEmpty(service.PortName)),
                ("targetPort", service.TargetPort is not null),
                ("appProtocol", !string.IsNullOrEmpty(service.AppProtocol)),
                ("trafficDistribution", !string.IsNullOrEmpty(service.TrafficDistribution)),
                ("portDiscovery", service.PortDiscovery == true),
                ("headless", service.Headless == true),
                ("apex", service.Apex is not null),
                ("primary", service.Primary is not null),
                ("canary", service.Canary is not null),
                ("unmanagedMetadata", service.UnmanagedMetadata is not null),
            ];
            foreach (var (field, _) in fields.Where(f => f.Set))
            {
                context.AddFailure($"service.{field}", "is not used with a Knative Service target: Knative creates the Services of each revision");
            }
        }

        // A match field the provider never writes would widen the A/B audience to requests it was meant to exclude.
        private static void CheckMatches(
            IList<HttpMatchRequest> matches, string path, string? provider, ProviderCapabilities capabilities, ApiSupport support, ValidationContext<CanarySpec> context)
        {
            for (var i = 0; i < matches.Count; i++)
            {
                if (matches[i] is null || capabilities.MatchFieldsUsed is not { } used)
                {
                    continue;
                }

                foreach (var field in ProviderCapabilities.MatchFieldsSet(matches[i]).Where(f => !used.Contains(f)))
                {
                    var users = support.Providers.Where(p => p.Value.Matches && p.Value.MatchFieldsUsed?.Contains(field) != false).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
                    context.AddFailure($"{path}[{i}].{field}", $"is not used by provider {provider} for A/B routing (used by: {string.Join(", ", users)})");
                }
            }

            foreach (var (at, message) in capabilities.CheckMatches?.Invoke(matches) ?? [])
            {
                context.AddFailure(path + at, message);
            }
        }

        private static void CheckAnalysis(CanarySpec spec, ApiSupport support, ValidationContext<CanarySpec> context)
        {
            var capabilities = support.CapabilitiesOf(spec.Provider);
            var analysis = spec.EffectiveAnalysis();
            if (capabilities is null || analysis is null)
            {
                return;
            }

            // Failures added here are prefixed with the parent path (spec.) by FluentValidation.
            var prefix = spec.Analysis is null ? "canaryAnalysis" : "analysis";
            var provider = string.IsNullOrEmpty(spec.Provider) ? support.DefaultProvider : spec.Provider;
            if (analysis.SessionAffinity is not null && !capabilities.SessionAffinity)
            {
                context.AddFailure($"{prefix}.sessionAffinity", $"is not implemented for provider {provider} yet");
            }

            if (analysis.Match is { Count: > 0 } && !capabilities.Matches)
            {
                context.AddFailure($"{prefix}.match", $"provider {provider} cannot route by header or cookie (A/B testing needs a mesh or an ingress)");
            }
            else if (analysis.Match is { Count: > 0 } matches)
            {
                CheckMatches(matches, $"{prefix}.match", provider, capabilities, support, context);
            }

            if (analysis.Mirror != true)
            {
                return;
            }

            var blueGreen = analysis.Iterations is > 0 && analysis.Match is not { Count: > 0 };
            if (analysis.Match is { Count: > 0 })
            {
                context.AddFailure($"{prefix}.mirror", "applies to the canary and blue/green strategies, not to A/B testing (match)");
            }
            else if (blueGreen ? !capabilities.BlueGreenMirror : !capabilities.WeightedMirror)
            {
                context.AddFailure($"{prefix}.mirror",
                    $"provider {provider} cannot mirror traffic with the {(blueGreen ? "blue/green" : "canary")} strategy" +
                    (capabilities.BlueGreenMirror ? " (it mirrors during blue/green iterations only)" : string.Empty));
            }
        }
    }
}

/// <summary>Refuses a MetricTemplate whose backend this controller does not implement, or a field that backend ignores.</summary>
public sealed class MetricTemplateSupportValidator : JsonValidator<MetricTemplate>
{
    /// <summary>Rules for a controller implementing <paramref name="support"/>.</summary>
    public MetricTemplateSupportValidator(ApiSupport support)
    {
        ArgumentNullException.ThrowIfNull(support);
        Field(x => x.Spec, "spec.provider.type")
            .Must(s => s?.Provider?.Type is not { Length: > 0 } type || support.MetricBackends.Contains(type))
            .WithMessage(t => MetricProviderTypes.Refused.TryGetValue(t.Spec.Provider!.Type!, out var why)
                ? $"'{t.Spec.Provider.Type}' is not supported: {why}"
                : $"'{t.Spec.Provider.Type}' is not implemented by this controller yet; implemented: {ApiSupport.List(support.MetricBackends)}");
        Field(x => x.Spec, "spec.provider.region")
            .Must(s => string.IsNullOrEmpty(s?.Provider?.Region) || s.Provider.Type == MetricProviderTypes.CloudWatch)
            .WithMessage(t => $"is only used by cloudwatch; the {t.Spec.Provider!.Type} backend would ignore it");

        // CloudWatch's endpoint and signature are per region; Flagger refuses the template at query time ("region not
        // specified"), this at admission. Only where cloudwatch is implemented: elsewhere the type is refused already.
        Field(x => x.Spec, "spec.provider.region")
            .Must(s => s?.Provider?.Type != MetricProviderTypes.CloudWatch || !string.IsNullOrWhiteSpace(s.Provider.Region))
            .When(_ => support.MetricBackends.Contains(MetricProviderTypes.CloudWatch))
            .WithMessage("is required by cloudwatch: the AWS region of the metrics, e.g. us-east-1");

        // The histogram judge reads one sample per bucket (its le label); only Prometheus answers a query with labelled
        // samples, so another backend would leave the check inconclusive for ever.
        Field(x => x.Spec, "spec.judge.type")
            .Must(s => s?.Judge?.Type != MetricJudgeTypes.Histogram || (s.Provider?.Type is not { Length: > 0 } type) || type == MetricProviderTypes.Prometheus)
            .WithMessage(t => $"histogram needs a backend answering one sample per bucket (le label), which only prometheus does; with {t.Spec.Provider!.Type} use ratio");
    }
}
