using System.Reflection;
using System.Text.Json.Serialization;
using Canary.Api.Crd;
using Canary.Api.Support;
using Canary.Api.V1Beta1;
using Canary.Api.Validation;
using Canary.MetricTemplates.Providers;
using Canary.Providers.Registry;
using Canary.Rollout.Engine;

namespace Canary.Rollout.Tests.Support;

/// <summary>
/// Nothing the API accepts is silently ignored: every value of every enum in the CRDs is either refused at validation by
/// field path (checked here against this controller's registries), or works, and then names the test that shows it
/// (checked to exist in the repository). A new enum value fails this test until it is classified.
/// </summary>
public sealed class EveryEnumValueTests
{
    private static readonly ApiSupport Support = ControllerSupport.For("istio");

    // Where each CRD enum lives: how to validate an object carrying a value, and where a refusal is reported.
    private static readonly Dictionary<string, (Func<string, ApiValidationResult> Validate, string RefusedAt)> Enums = new(StringComparer.Ordinal)
    {
        ["CanarySpec.provider"] = (v => Canary(c =>
        {
            c.Spec.Provider = v;
            if (v.StartsWith("gatewayapi", StringComparison.Ordinal))
            {
                c.Spec.Service!.GatewayRefs = [new ParentReference { Name = "gw" }];
            }

            if (v == TrafficProviders.Knative)
            {
                c.Spec.TargetRef = new TargetReference { ApiVersion = "serving.knative.dev/v1", Kind = TargetKinds.Service, Name = "podinfo" };
            }
        }), "spec.provider"),
        ["TargetReference.kind"] = (v => Canary(c =>
        {
            c.Spec.TargetRef!.Kind = v;
            c.Spec.TargetRef.ApiVersion = v == TargetKinds.Service ? "v1" : "apps/v1";
            if (v == TargetKinds.DaemonSet)
            {
                c.Spec.Analysis = new CanaryAnalysis { Interval = "30s", Threshold = 2, Iterations = 5 }; // no weights (blue/green only)
            }
        }), "spec.targetRef.kind"),
        ["AutoscalerReference.kind"] = (v => Canary(c => c.Spec.AutoscalerRef = new AutoscalerReference { ApiVersion = v == AutoscalerKinds.ScaledObject ? "keda.sh/v1alpha1" : "autoscaling/v2", Kind = v, Name = "podinfo" }), "spec.autoscalerRef.kind"),
        ["SessionAffinity.sameSite"] = (v => Canary(c => c.Spec.Analysis!.SessionAffinity = new SessionAffinity { CookieName = "canary", SameSite = v }), "spec.analysis.sessionAffinity"),
        ["CanaryService.trafficDistribution"] = (v => Canary(c => c.Spec.Service!.TrafficDistribution = v), "spec.service.trafficDistribution"),
        ["CanaryWebhook.type"] = (v => Canary(c => c.Spec.Analysis!.Webhooks = [new CanaryWebhook { Name = "hook", Type = v, Url = "http://hooks.test/" }]), "spec.analysis.webhooks[0].type"),
        ["CanaryAlert.severity"] = (v => Canary(c => c.Spec.Analysis!.Alerts = [new CanaryAlert { Name = "a", Severity = v, ProviderRef = new CrossNamespaceObjectReference { Name = "slack" } }]), "spec.analysis.alerts[0].severity"),
        ["CanaryJudge.onInconclusive"] = (v => Canary(c => c.Spec.Analysis!.Judge = new CanaryJudge { OnInconclusive = v }), "spec.analysis.judge.onInconclusive"),
        ["MetricTemplateJudge.type"] = (v => Template(t => t.Spec.Judge = new MetricTemplateJudge { Type = v, RequestsQuery = "a", FailuresQuery = "b", BucketsQuery = "c" }), "spec.judge.type"),
        ["MetricProvider.type"] = (v => Template(t =>
        {
            t.Spec.Provider!.Type = v;
            t.Spec.Provider.Region = v == MetricProviderTypes.CloudWatch ? "us-east-1" : null; // required there, refused elsewhere
        }), "spec.provider.type"),
        ["CanaryRequestSpec.action"] = (v => CanaryValidation.Validate(new CanaryRequest { Spec = new CanaryRequestSpec { Canary = "podinfo", Action = v } }), "spec.action"),
        ["AlertProviderSpec.type"] = (v => CanaryValidation.Validate(new AlertProvider { Metadata = new() { Name = "a" }, Spec = new AlertProviderSpec { Type = v, Address = "https://hooks.slack.test/x" } }), "spec.type"),
    };

    // Values that work, each with the test that shows it working ("file::method").
    private static readonly Dictionary<string, string> Works = new(StringComparer.Ordinal)
    {
        ["CanaryRequestSpec.action=promote"] = "tests/Canary.E2E/Scenarios/ControlTests.cs::Promote_from_kubectl_skips_the_remaining_steps_and_force_from_the_cli_skips_the_gate",
        ["CanaryRequestSpec.action=abort"] = "tests/Canary.E2E/Scenarios/ControlTests.cs::Abort_rolls_back_within_one_interval_and_retry_runs_the_same_revision_again",
        ["CanaryRequestSpec.action=retry"] = "tests/Canary.E2E/Scenarios/ControlTests.cs::Abort_rolls_back_within_one_interval_and_retry_runs_the_same_revision_again",
        ["CanaryRequestSpec.action=pause"] = "tests/Canary.E2E/Scenarios/ControlTests.cs::Pause_holds_the_weight_across_intervals_and_resume_advances",
        ["CanaryRequestSpec.action=resume"] = "tests/Canary.E2E/Scenarios/ControlTests.cs::Pause_holds_the_weight_across_intervals_and_resume_advances",
        ["CanaryRequestSpec.action=skip-analysis"] = "tests/Canary.E2E/Scenarios/ControlTests.cs::Skip_analysis_promotes_the_release_without_checks",
        ["CanarySpec.provider=kubernetes"] = "tests/Canary.Sandbox.Tests/Demo/BlueGreenStoryTests.cs::Promotes_v2_after_its_iterations_and_rolls_back_v3_on_errors_and_v4_on_latency",
        ["CanarySpec.provider=gatewayapi"] = "tests/Canary.E2E/Scenarios/CanaryRolloutTests.cs::Good_version_steps_0_to_50_by_10_then_promotes_and_the_httproute_follows_each_step",
        ["CanarySpec.provider=gatewayapi:v1"] = "tests/Canary.Sandbox.Tests/Demo/CanaryStoryTests.cs::Promotes_v2_and_rolls_back_v3_on_errors_and_v4_on_latency",
        ["CanarySpec.provider=gatewayapi:v1beta1"] = "tests/Canary.Providers.Tests/Integration/GatewayApiRouterIntegrationTests.cs::Blue_green_mirroring_round_trips_and_survives_reconcile",
        ["CanarySpec.provider=nginx"] = "tests/Canary.Sandbox.Tests/Demo/CanaryStoryTests.cs::Promotes_v2_and_rolls_back_v3_on_errors_and_v4_on_latency",
        ["CanarySpec.provider=istio"] = "tests/Canary.Sandbox.Tests/Demo/CanaryStoryTests.cs::Promotes_v2_and_rolls_back_v3_on_errors_and_v4_on_latency",
        ["CanarySpec.provider=apisix"] = "tests/Canary.E2E/Scenarios/ApisixTests.cs::A_good_version_steps_through_the_canary_ApisixRoute_and_is_promoted_and_a_bad_one_is_rolled_back",
        ["CanarySpec.provider=gloo"] = "tests/Canary.E2E/Scenarios/GlooTests.cs::Weights_then_an_AB_release_then_a_rollback_on_the_RouteTable",
        ["CanarySpec.provider=kuma"] = "tests/Canary.E2E/Scenarios/KumaTests.cs::A_good_version_steps_through_the_TrafficRoute_and_is_promoted_a_bad_one_is_rolled_back_and_deletion_removes_the_route",
        ["CanarySpec.provider=skipper"] = "tests/Canary.E2E/Scenarios/SkipperTests.cs::A_good_version_steps_through_the_canary_Ingress_and_is_promoted_and_a_bad_one_is_rolled_back",
        ["CanarySpec.provider=traefik"] = "tests/Canary.E2E/Scenarios/TraefikTests.cs::A_good_version_steps_through_the_TraefikService_and_is_promoted_and_a_bad_one_is_rolled_back",
        ["CanarySpec.provider=contour"] = "tests/Canary.E2E/Scenarios/ContourTests.cs::Weights_then_an_AB_release_then_a_rollback_on_the_HTTPProxy",
        ["CanarySpec.provider=linkerd"] = "tests/Canary.E2E/Scenarios/LinkerdTests.cs::A_good_version_steps_through_the_TrafficSplit_and_is_promoted_and_a_bad_one_is_rolled_back",
        ["CanarySpec.provider=knative"] = "tests/Canary.E2E/Scenarios/KnativeTests.cs::A_good_revision_steps_through_the_services_traffic_and_is_promoted_and_a_bad_one_is_rolled_back",
        ["CanarySpec.provider=smi:v1alpha1"] = "tests/Canary.Providers.Tests/Integration/SmiRouterIntegrationTests.cs::Reconcile_creates_the_split_set_routes_moves_it_and_a_later_reconcile_keeps_the_weights",
        ["CanarySpec.provider=smi:v1alpha2"] = "tests/Canary.Providers.Tests/Integration/SmiRouterIntegrationTests.cs::Reconcile_creates_the_split_set_routes_moves_it_and_a_later_reconcile_keeps_the_weights",
        ["CanarySpec.provider=smi:v1alpha3"] = "tests/Canary.Providers.Tests/Integration/SmiRouterIntegrationTests.cs::Reconcile_creates_the_split_set_routes_moves_it_and_a_later_reconcile_keeps_the_weights",
        ["TargetReference.kind=Deployment"] = "tests/Canary.Rollout.Tests/Sandbox/DeploymentTargetTests.cs::Initialize_creates_the_primary_clone_config_copies_and_hpa_and_leaves_the_target_untouched",
        ["TargetReference.kind=DaemonSet"] = "tests/Canary.E2E/Scenarios/DaemonSetTargetTests.cs::DaemonSet_good_version_is_promoted_blue_green_and_a_bad_one_rolled_back_with_its_pods_parked",
        ["TargetReference.kind=Service"] = "tests/Canary.E2E/Scenarios/ServiceTargetTests.cs::Service_selecting_a_good_version_is_promoted_by_weights_and_a_bad_one_rolled_back",
        ["AutoscalerReference.kind=HorizontalPodAutoscaler"] = "tests/Canary.Rollout.Tests/Sandbox/DeploymentTargetTests.cs::Initialize_creates_the_primary_clone_config_copies_and_hpa_and_leaves_the_target_untouched",
        ["AutoscalerReference.kind=ScaledObject"] = "tests/Canary.E2E/Scenarios/ScaledObjectTests.cs::The_primary_gets_its_own_scaled_object_and_the_targets_is_paused_between_releases_through_promotion_and_rollback",
        ["SessionAffinity.sameSite=Strict"] = "tests/Canary.Providers.Tests/Builders/SessionAffinityGoldenTests.cs::Every_sameSite_value_reaches_the_Set_Cookie_on_istio_and_gateway_api",
        ["SessionAffinity.sameSite=Lax"] = "tests/Canary.Providers.Tests/Builders/SessionAffinityGoldenTests.cs::Every_sameSite_value_reaches_the_Set_Cookie_on_istio_and_gateway_api",
        ["SessionAffinity.sameSite=None"] = "tests/Canary.Providers.Tests/Builders/SessionAffinityGoldenTests.cs::Every_sameSite_value_reaches_the_Set_Cookie_on_istio_and_gateway_api",
        ["CanaryService.trafficDistribution=PreferClose"] = "tests/Canary.Providers.Tests/Builders/ServiceBuilderGoldenTests.cs::Every_trafficDistribution_value_reaches_every_service",
        ["CanaryService.trafficDistribution=PreferSameZone"] = "tests/Canary.Providers.Tests/Builders/ServiceBuilderGoldenTests.cs::Every_trafficDistribution_value_reaches_every_service",
        ["CanaryService.trafficDistribution=PreferSameNode"] = "tests/Canary.Providers.Tests/Builders/ServiceBuilderGoldenTests.cs::Every_trafficDistribution_value_reaches_every_service",
        ["CanaryWebhook.type="] = "tests/Canary.Webhooks.Tests/Hooks/WebhookRunnerTests.cs::Hooks_without_a_type_run_as_rollout_hooks_and_other_types_are_left_alone",
        ["CanaryWebhook.type=confirm-rollout"] = "tests/Canary.E2E/Scenarios/LifecycleTests.cs::Confirm_rollout_403_holds_Waiting_and_confirm_promotion_403_holds_WaitingPromotion_until_200",
        ["CanaryWebhook.type=pre-rollout"] = "tests/Canary.Webhooks.Tests/Hooks/WebhookRunnerTests.cs::A_failing_check_fails_the_run_and_stops_the_remaining_hooks",
        ["CanaryWebhook.type=rollout"] = "tests/Canary.Webhooks.Tests/Hooks/WebhookRunnerTests.cs::A_failing_check_fails_the_run_and_stops_the_remaining_hooks",
        ["CanaryWebhook.type=confirm-traffic-increase"] = "tests/Canary.Webhooks.Tests/Hooks/WebhookRunnerTests.cs::A_gate_that_does_not_approve_means_wait_and_stops_at_that_gate",
        ["CanaryWebhook.type=confirm-promotion"] = "tests/Canary.E2E/Scenarios/LifecycleTests.cs::Confirm_rollout_403_holds_Waiting_and_confirm_promotion_403_holds_WaitingPromotion_until_200",
        ["CanaryWebhook.type=post-rollout"] = "tests/Canary.E2E/Scenarios/CanaryRolloutTests.cs::Bad_version_is_rolled_back_after_threshold_failed_checks_with_status_event_and_webhooks",
        ["CanaryWebhook.type=rollback"] = "tests/Canary.E2E/Scenarios/LifecycleTests.cs::Rollback_webhook_answering_200_rolls_back_a_healthy_canary",
        ["CanaryWebhook.type=event"] = "tests/Canary.Webhooks.Tests/Hooks/WebhookRunnerTests.cs::Every_event_hook_is_called_even_after_a_failure",
        ["CanaryAlert.severity="] = "tests/Canary.Webhooks.Tests/Alerts/AlertDispatcherTests.cs::Severity_filter",
        ["CanaryAlert.severity=info"] = "tests/Canary.Webhooks.Tests/Alerts/AlertDispatcherTests.cs::Severity_filter",
        ["CanaryAlert.severity=warn"] = "tests/Canary.Webhooks.Tests/Alerts/AlertDispatcherTests.cs::Severity_filter",
        ["CanaryAlert.severity=error"] = "tests/Canary.Webhooks.Tests/Alerts/AlertDispatcherTests.cs::Severity_filter",
        ["CanaryJudge.onInconclusive=Wait"] = "tests/Canary.Rollout.Tests/StateMachine/JudgeDecisionTests.cs::Reaching_maxInconclusive_says_so_once_with_a_condition_a_warning_and_an_alert_then_keeps_waiting",
        ["CanaryJudge.onInconclusive=Fail"] = "tests/Canary.Rollout.Tests/StateMachine/JudgeDecisionTests.cs::OnInconclusive_Fail_rolls_back_at_the_limit",
        ["MetricTemplateJudge.type=ratio"] = "tests/Canary.MetricTemplates.Tests/Judge/JudgeAnalyzerTests.cs::A_template_with_judge_queries_is_rendered_once_per_side",
        ["MetricTemplateJudge.type=histogram"] = "tests/Canary.MetricTemplates.Tests/Judge/JudgeAnalyzerTests.cs::Latency_buckets_of_both_sides_catch_a_p99_only_regression",
        ["MetricProvider.type=datadog"] = "tests/Canary.MetricTemplates.Tests/Backends/DatadogProviderTests.cs::Flaggers_documented_template_works_with_only_the_api_version_changed",
        ["MetricProvider.type=influxdb"] = "tests/Canary.MetricTemplates.Tests/Backends/InfluxDbProviderTests.cs::Flaggers_documented_template_works_with_only_the_api_version_changed",
        ["MetricProvider.type=cloudwatch"] = "tests/Canary.MetricTemplates.Tests/Backends/CloudWatchProviderTests.cs::Flaggers_documented_template_works_with_only_the_api_version_changed",
        ["MetricProvider.type=stackdriver"] = "tests/Canary.MetricTemplates.Tests/Backends/StackdriverProviderTests.cs::Flaggers_documented_template_works_with_only_the_api_version_changed",
        ["MetricProvider.type=newrelic"] = "tests/Canary.MetricTemplates.Tests/Backends/NewRelicProviderTests.cs::Flaggers_documented_template_works_with_only_the_api_version_changed",
        ["MetricProvider.type=dynatrace"] = "tests/Canary.MetricTemplates.Tests/Backends/DynatraceProviderTests.cs::Flaggers_documented_template_works_with_only_the_api_version_changed",
        ["MetricProvider.type=splunk"] = "tests/Canary.MetricTemplates.Tests/Backends/SplunkProviderTests.cs::Flaggers_documented_template_works_with_only_the_api_version_changed",
        ["MetricProvider.type=graphite"] = "tests/Canary.MetricTemplates.Tests/Backends/GraphiteProviderTests.cs::Flaggers_documented_template_works_with_only_the_api_version_changed",
        ["MetricProvider.type=prometheus"] = "tests/Canary.E2E/Scenarios/DisruptionTests.cs::Prometheus_stopped_mid_analysis_fails_the_checks_and_nothing_is_promoted",
        ["AlertProviderSpec.type=slack"] = "tests/Canary.Webhooks.Tests/Alerts/AlertNotifierTests.cs::Slack_posts_one_attachment_with_fields_and_the_bearer_token",
        ["AlertProviderSpec.type=msteams"] = "tests/Canary.Webhooks.Tests/Alerts/AlertNotifierTests.cs::Teams_posts_a_message_card_with_facts",
        ["AlertProviderSpec.type=discord"] = "tests/Canary.Webhooks.Tests/Alerts/AlertNotifierTests.cs::Discord_posts_the_slack_payload_to_the_slack_compatible_endpoint",
        ["AlertProviderSpec.type=rocket"] = "tests/Canary.Webhooks.Tests/Alerts/AlertNotifierTests.cs::Rocket_posts_the_slack_payload_with_hex_colours",
        ["AlertProviderSpec.type=gchat"] = "tests/Canary.Webhooks.Tests/Alerts/AlertNotifierTests.cs::GChat_posts_a_card_with_a_section_per_field",
    };

    /// <summary>Every (enum, value) of the API types, as the CRD generator writes them.</summary>
    public static TheoryData<string, string> EnumValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in typeof(CanaryApi).Assembly.GetTypes().Where(t => t.Namespace == typeof(CanaryApi).Namespace))
        {
            foreach (var property in type.GetProperties())
            {
                if (property.GetCustomAttribute<CrdEnumAttribute>() is { } values)
                {
                    var json = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;
                    foreach (var value in values.Values)
                    {
                        data.Add($"{type.Name}.{json}", value);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnumValues))]
    public void Every_enum_value_works_or_is_refused_by_field_path(string field, string value)
    {
        Assert.True(Enums.TryGetValue(field, out var probe), $"{field} is a CRD enum this test does not know: add how to validate it");
        var errors = probe.Validate(value).Errors;

        if (Works.TryGetValue($"{field}={value}", out var shownBy))
        {
            Assert.True(errors.Count == 0, $"{field}={value} is listed as working but validation refuses it: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}");
            var (file, method) = (shownBy.Split("::")[0], shownBy.Split("::")[1]);
            var path = Path.Combine(RepositoryRoot(), file);
            Assert.True(File.Exists(path), $"{shownBy}: no such file");
            Assert.Contains($" {method}(", File.ReadAllText(path), StringComparison.Ordinal);
        }
        else
        {
            var refusal = Assert.Single(errors, e => e.Path == probe.RefusedAt);
            Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
        }
    }

    [Theory]
    [InlineData("appmesh", "AWS ended support for App Mesh on 2026-09-30; use gatewayapi")]
    [InlineData("appmesh:v1beta2", "AWS ended support for App Mesh on 2026-09-30; use gatewayapi")]
    [InlineData("osm", "Open Service Mesh is archived")]
    public void Retired_providers_are_refused_with_why_and_what_to_use_instead(string provider, string reason)
    {
        var error = Assert.Single(Canary(c => c.Spec.Provider = provider).Errors);

        Assert.Equal("spec.provider", error.Path);
        Assert.StartsWith($"'{provider}' is not supported: {reason}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_capabilities_are_refused_at_their_own_path()
    {
        var affinity = Canary(c =>
        {
            c.Spec.Provider = "nginx";
            c.Spec.Analysis!.SessionAffinity = new SessionAffinity { CookieName = "canary" };
        });
        var affinityOnIstio = Canary(c => c.Spec.Analysis!.SessionAffinity = new SessionAffinity { CookieName = "canary", SameSite = "Lax" });
        var weightedMirror = Canary(c =>
        {
            c.Spec.Provider = "nginx";
            c.Spec.Analysis!.Mirror = true;
        });
        var matchOnKubernetes = Canary(c =>
        {
            c.Spec.Provider = "kubernetes";
            c.Spec.Analysis = new CanaryAnalysis { Interval = "30s", Iterations = 5, Match = [new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "1" } } }] };
        });

        Assert.Equal("spec.analysis.sessionAffinity: is not implemented for provider nginx yet", affinity.Summary);
        Assert.Empty(affinityOnIstio.Errors);
        Assert.Equal("spec.analysis.mirror: provider nginx cannot mirror traffic with the canary strategy", weightedMirror.Summary);
        Assert.Contains(matchOnKubernetes.Errors, e => e.Path == "spec.analysis.match" && e.Message.StartsWith("provider kubernetes cannot route by header", StringComparison.Ordinal));
    }

    [Fact]
    public void Service_routing_fields_a_provider_never_writes_are_refused_by_path_with_the_providers_that_use_them()
    {
        var hostsOnNginx = Assert.Single(Canary(c =>
        {
            c.Spec.Provider = "nginx";
            c.Spec.Service!.Hosts = ["app.example.com"];
        }).Errors);
        var retriesOnTraefik = Canary(c =>
        {
            c.Spec.Provider = "traefik";
            c.Spec.Service!.Retries = new HttpRetry { Attempts = 3 };
            c.Spec.Service.Timeout = "10s";
        });
        var onContour = Canary(c =>
        {
            c.Spec.Provider = "contour";
            c.Spec.Service!.Retries = new HttpRetry { Attempts = 3 };
            c.Spec.Service.Timeout = "10s";
        });

        Assert.Equal("spec.service.hosts", hostsOnNginx.Path);
        Assert.Equal("is not used by provider nginx (used by: gatewayapi, gatewayapi:v1, gatewayapi:v1beta1, istio, linkerd, smi:v1alpha1, smi:v1alpha2, smi:v1alpha3)", hostsOnNginx.Message);
        Assert.Equal(["spec.service.retries", "spec.service.timeout"], retriesOnTraefik.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Empty(onContour.Errors);
    }

    [Fact]
    public void UpstreamRef_is_refused_by_path_except_for_gloo()
    {
        var onNginx = Assert.Single(Canary(c =>
        {
            c.Spec.Provider = "nginx";
            c.Spec.UpstreamRef = new CrossNamespaceObjectReference { Name = "podinfo-config" };
        }).Errors);
        var onGloo = Canary(c =>
        {
            c.Spec.Provider = "gloo";
            c.Spec.UpstreamRef = new CrossNamespaceObjectReference { Name = "podinfo-config" };
        });

        Assert.Equal("spec.upstreamRef", onNginx.Path);
        Assert.StartsWith("is only used by the gloo provider", onNginx.Message, StringComparison.Ordinal);
        Assert.Empty(onGloo.Errors);
    }

    [Fact]
    public void Refused_values_say_why_and_what_to_use_instead()
    {
        // Every traffic provider and metric backend Flagger lists is implemented, or refused with a reason.
        Assert.Empty(MetricProviderTypes.All.Except(MetricBackendRegistry.Default.Types).Except(MetricProviderTypes.Refused.Keys));
        foreach (var (type, why) in MetricProviderTypes.Refused)
        {
            var error = Assert.Single(Template(t => t.Spec.Provider!.Type = type).Errors);

            Assert.Equal("spec.provider.type", error.Path);
            Assert.Equal($"'{type}' is not supported: {why}", error.Message);
            Assert.Contains("MetricTemplate instead", why, StringComparison.Ordinal);
        }
    }

    private static ApiValidationResult Canary(Action<CanaryResource> change)
    {
        var canary = new CanaryResource
        {
            Metadata = new() { Name = "podinfo", NamespaceProperty = "test" },
            Spec = new CanarySpec
            {
                Provider = "istio",
                TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "podinfo" },
                Service = new CanaryService { Port = 9898 },
                Analysis = new CanaryAnalysis { Interval = "30s", Threshold = 2, StepWeight = 10, MaxWeight = 50 },
            },
        };
        change(canary);
        return CanaryValidation.Validate(canary, Support);
    }

    private static ApiValidationResult Template(Action<MetricTemplate> change)
    {
        var template = new MetricTemplate
        {
            Metadata = new() { Name = "errors", NamespaceProperty = "test" },
            Spec = new MetricTemplateSpec { Provider = new MetricProvider { Type = "prometheus", Address = "http://prometheus:9090" }, Query = "up" },
        };
        change(template);
        return CanaryValidation.Validate(template, Support);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Canary.sln not found above the test binaries");
    }
}
