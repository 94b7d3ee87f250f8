using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.Api.Validation;
using k8s.Models;

namespace Canary.Api.Tests;

public class ValidationTests
{
    [Fact]
    public void Full_example_is_valid_except_for_its_deliberate_strategy_mix()
    {
        var canary = CanaryYaml.Deserialize<V1Beta1.Canary>(TestFiles.Read("canary-full.yaml"));

        var result = CanaryValidation.Validate(canary);

        // The fixture exercises every field at once, so it sets analysis.match without iterations (A/B needs iterations).
        Assert.Equal(["spec.analysis.match"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Valid_canary_passes()
    {
        var result = CanaryValidation.Validate(ValidCanary());

        Assert.True(result.IsValid, result.Summary);
        Assert.Equal("valid", result.Summary);
    }

    [Fact]
    public void Invalid_spec_reports_every_problem_with_its_json_path()
    {
        var canary = Parse("""
            {
              "apiVersion": "canary.dev/v1beta1", "kind": "Canary", "metadata": { "name": "bad" },
              "spec": {
                "provider": "envoy",
                "metricsServer": "prometheus:9090",
                "progressDeadlineSeconds": -1,
                "targetRef": { "kind": "StatefulSet" },
                "service": { "port": 70000, "timeout": "30 seconds" },
                "analysis": {
                  "interval": "500ms",
                  "threshold": -1,
                  "maxWeight": 10,
                  "stepWeight": 20,
                  "stepWeights": [5, 150, 40, 30],
                  "iterations": 3,
                  "mirrorWeight": 101,
                  "primaryReadyThreshold": 120,
                  "sessionAffinity": { "cookieName": "same", "primaryCookieName": "same" },
                  "metrics": [
                    { "name": "request-success-rate", "thresholdRange": { "min": 99 } },
                    { "name": "custom", "thresholdRange": { "min": 5, "max": 1 }, "interval": "-1m" }
                  ],
                  "webhooks": [
                    { "name": "gate", "type": "confirm-everything", "url": "/gate/approve", "timeout": "10x", "retries": -2 },
                    { "url": "http://ok.test/" }
                  ],
                  "alerts": [ { "name": "a", "severity": "critical", "providerRef": { } } ]
                }
              }
            }
            """);

        var paths = CanaryValidation.Validate(canary).Errors.Select(e => e.Path).ToHashSet();

        Assert.Equal(
            new HashSet<string>
            {
                "spec.provider",
                "spec.metricsServer",
                "spec.progressDeadlineSeconds",
                "spec.targetRef.name",
                "spec.targetRef.kind",
                "spec.service.port",
                "spec.service.timeout",
                "spec.analysis.interval",
                "spec.analysis.threshold",
                "spec.analysis.maxWeight",
                "spec.analysis.stepWeights",
                "spec.analysis.stepWeights[1]",
                "spec.analysis.stepWeights[2]",
                "spec.analysis.stepWeights[3]",
                "spec.analysis.iterations",
                "spec.analysis.mirrorWeight",
                "spec.analysis.primaryReadyThreshold",
                "spec.analysis.sessionAffinity.primaryCookieName",
                "spec.analysis.metrics[1]",
                "spec.analysis.metrics[1].thresholdRange",
                "spec.analysis.metrics[1].interval",
                "spec.analysis.webhooks[0].type",
                "spec.analysis.webhooks[0].url",
                "spec.analysis.webhooks[0].timeout",
                "spec.analysis.webhooks[0].retries",
                "spec.analysis.webhooks[1].name",
                "spec.analysis.alerts[0].severity",
                "spec.analysis.alerts[0].providerRef.name",
            },
            paths);
    }

    [Theory]
    [InlineData("""{"targetRef":null}""", "spec.targetRef", "is required")]
    [InlineData("""{"targetRef":{"kind":"","name":"app"}}""", "spec.targetRef.kind", "is required")]
    [InlineData("""{"targetRef":{"kind":"Job","name":"app"}}""", "spec.targetRef.kind", "Deployment, DaemonSet, Service")]
    [InlineData("""{"targetRef":{"apiVersion":"apps/v1beta9","kind":"Deployment","name":"app"}}""", "spec.targetRef.apiVersion", "not an apiVersion of Deployment; allowed: apps/v1")]
    [InlineData("""{"autoscalerRef":{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","name":"app"}}""", "spec.autoscalerRef.apiVersion", "autoscaling/v2, autoscaling/v2beta2")]
    [InlineData("""{"autoscalerRef":{"kind":"HorizontalPodAutoscaler","name":"app","primaryScalerQueries":{"t":"up"}}}""", "spec.autoscalerRef.primaryScalerQueries", "only used with kind ScaledObject")]
    [InlineData("""{"service":null}""", "spec.service", "is required")]
    [InlineData("""{"service":{}}""", "spec.service.port", "is required")]
    [InlineData("""{"service":{"port":0}}""", "spec.service.port", "between 1 and 65535")]
    [InlineData("""{"service":{"port":80,"targetPort":70000}}""", "spec.service.targetPort", "between 1 and 65535")]
    [InlineData("""{"service":{"port":80,"trafficDistribution":"Nearest"}}""", "spec.service.trafficDistribution", "PreferClose")]
    [InlineData("""{"service":{"port":80,"retries":{"attempts":-1,"perTryTimeout":"1s"}}}""", "spec.service.retries.attempts", "negative")]
    [InlineData("""{"service":{"port":80,"gatewayRefs":[{"namespace":"x"}]}}""", "spec.service.gatewayRefs[0].name", "is required")]
    [InlineData("""{"service":{"port":80,"delegation":true,"hosts":["a"]}}""", "spec.service.delegation", "hosts and gateways")]
    [InlineData("""{"provider":"envoy"}""", "spec.provider", "gatewayapi, gatewayapi:v1, gatewayapi:v1beta1")]
    [InlineData("""{"provider":"gatewayapi:v1"}""", "spec.service.gatewayRefs", "gatewayapi:v1")]
    [InlineData("""{"metricsServer":"ftp://prom"}""", "spec.metricsServer", "absolute http(s) URL")]
    [InlineData("""{"progressDeadlineSeconds":-5}""", "spec.progressDeadlineSeconds", "negative")]
    [InlineData("""{"autoscalerRef":{"kind":"VerticalPodAutoscaler","name":"x"}}""", "spec.autoscalerRef.kind", "HorizontalPodAutoscaler")]
    [InlineData("""{"autoscalerRef":{"kind":"ScaledObject","name":"x","primaryScalerReplicas":{"minReplicas":3,"maxReplicas":2}}}""", "spec.autoscalerRef.primaryScalerReplicas.maxReplicas", "minReplicas")]
    [InlineData("""{"ingressRef":{"kind":"Ingress"}}""", "spec.ingressRef.name", "is required")]
    [InlineData("""{"analysis":{"stepWeight":10,"stepWeights":[10,20]}}""", "spec.analysis.stepWeights", "cannot be combined with stepWeight")]
    [InlineData("""{"analysis":{"stepWeights":[10,10]}}""", "spec.analysis.stepWeights[1]", "strictly increasing")]
    [InlineData("""{"analysis":{"stepWeights":[-1]}}""", "spec.analysis.stepWeights[0]", "between 0 and 100")]
    [InlineData("""{"analysis":{"stepWeight":101}}""", "spec.analysis.stepWeight", "between 0 and 100")]
    [InlineData("""{"analysis":{"stepWeight":30,"maxWeight":20}}""", "spec.analysis.maxWeight", "at least stepWeight (30)")]
    [InlineData("""{"analysis":{"iterations":5,"stepWeights":[10]}}""", "spec.analysis.iterations", "cannot be combined")]
    [InlineData("""{"analysis":{"match":[{"headers":{"x":{"exact":"1"}}}]}}""", "spec.analysis.match", "requires iterations")]
    [InlineData("""{"analysis":{"iterations":-1}}""", "spec.analysis.iterations", "negative")]
    [InlineData("""{"analysis":{"threshold":-1}}""", "spec.analysis.threshold", "negative")]
    [InlineData("""{"analysis":{"interval":"1x"}}""", "spec.analysis.interval", "Go syntax")]
    [InlineData("""{"analysis":{"interval":"-1m"}}""", "spec.analysis.interval", "negative")]
    [InlineData("""{"analysis":{"interval":"500ms"}}""", "spec.analysis.interval", "minimum 1s")]
    [InlineData("""{"analysis":{"mirrorWeight":-1}}""", "spec.analysis.mirrorWeight", "between 0 and 100")]
    [InlineData("""{"analysis":{"canaryReadyThreshold":101}}""", "spec.analysis.canaryReadyThreshold", "between 0 and 100")]
    [InlineData("""{"analysis":{"stepWeightPromotion":200}}""", "spec.analysis.stepWeightPromotion", "between 0 and 100")]
    [InlineData("""{"analysis":{"sessionAffinity":{"primaryCookieName":"p"}}}""", "spec.analysis.sessionAffinity.cookieName", "is required")]
    [InlineData("""{"analysis":{"sessionAffinity":{"cookieName":"c","primaryCookieName":"c"}}}""", "spec.analysis.sessionAffinity.primaryCookieName", "differ")]
    [InlineData("""{"analysis":{"sessionAffinity":{"cookieName":"c","sameSite":"strict"}}}""", "spec.analysis.sessionAffinity.sameSite", "Strict, Lax, None")]
    [InlineData("""{"analysis":{"metrics":[{"name":"custom"}]}}""", "spec.analysis.metrics[0]", "templateRef or a query")]
    [InlineData("""{"analysis":{"metrics":[{"name":"x","query":"up","thresholdRange":{"min":2,"max":1}}]}}""", "spec.analysis.metrics[0].thresholdRange", "min (2) must not be greater than max (1)")]
    [InlineData("""{"analysis":{"metrics":[{"name":"x","templateRef":{}}]}}""", "spec.analysis.metrics[0].templateRef.name", "is required")]
    [InlineData("""{"analysis":{"webhooks":[{"name":"w","url":"localhost:8080/x"}]}}""", "spec.analysis.webhooks[0].url", "absolute http(s) URL")]
    [InlineData("""{"analysis":{"webhooks":[{"name":"w"}]}}""", "spec.analysis.webhooks[0].url", "is required")]
    [InlineData("""{"analysis":{"webhooks":[{"name":"w","url":"http://x/","type":"pre-promotion"}]}}""", "spec.analysis.webhooks[0].type", "confirm-rollout")]
    [InlineData("""{"analysis":{"webhooks":[{"name":"w","url":"http://x/","retries":-1}]}}""", "spec.analysis.webhooks[0].retries", "negative")]
    [InlineData("""{"analysis":{"alerts":[{"name":"a","severity":"fatal","providerRef":{"name":"p"}}]}}""", "spec.analysis.alerts[0].severity", "info, warn, error")]
    [InlineData("""{"analysis":{"alerts":[{"name":"a"}]}}""", "spec.analysis.alerts[0].providerRef", "is required")]
    [InlineData("""{"canaryAnalysis":{"stepWeight":-5}}""", "spec.canaryAnalysis.stepWeight", "between 0 and 100")]
    [InlineData("""{"targetRef":{"apiVersion":"serving.knative.dev/v1","kind":"Service","name":"app"}}""", "spec.provider", "must be knative")]
    [InlineData("""{"provider":"knative"}""", "spec.provider", "Knative Service")]
    [InlineData("""{"provider":"knative","targetRef":{"apiVersion":"serving.knative.dev/v1","kind":"Service","name":"app"},"autoscalerRef":{"kind":"HorizontalPodAutoscaler","name":"h"}}""", "spec.autoscalerRef", "knative")]
    [InlineData("""{"analysis":{"judge":{"confidence":0.3}}}""", "spec.analysis.judge.confidence", "between 0.5 and 0.999999")]
    [InlineData("""{"analysis":{"judge":{"confidence":0.999,"failFastConfidence":0.99}}}""", "spec.analysis.judge.failFastConfidence", "must not be below confidence")]
    [InlineData("""{"analysis":{"judge":{"minSamples":0}}}""", "spec.analysis.judge.minSamples", "at least 1")]
    [InlineData("""{"analysis":{"judge":{"maxInconclusive":0}}}""", "spec.analysis.judge.maxInconclusive", "at least 1")]
    [InlineData("""{"analysis":{"judge":{"onInconclusive":"Skip"}}}""", "spec.analysis.judge.onInconclusive", "Wait, Fail")]
    [InlineData("""{"analysis":{"judge":{},"metrics":[{"name":"request-duration","judge":{"maxRatio":0.5}}]}}""", "spec.analysis.metrics[0].judge.maxRatio", "between 1 and 1000")]
    [InlineData("""{"analysis":{"judge":{},"metrics":[{"name":"request-duration","judge":{"quantile":1}}]}}""", "spec.analysis.metrics[0].judge.quantile", "between 0.5 and 0.999")]
    [InlineData("""{"analysis":{"judge":{},"metrics":[{"name":"request-success-rate","judge":{"quantile":0.9}}]}}""", "spec.analysis.metrics[0].judge.quantile", "latency metrics only")]
    [InlineData("""{"analysis":{"metrics":[{"name":"request-duration","judge":{"maxRatio":2}}]}}""", "spec.analysis.metrics[0].judge", "requires analysis.judge")]
    [InlineData("""{"analysis":{"judge":{},"metrics":[{"name":"x","query":"up","judge":{"maxRatio":2}}]}}""", "spec.analysis.metrics[0].judge", "inline query has no per-side counts")]
    public void Each_rule_reports_its_path_and_what_is_allowed(string specOverride, string path, string messagePart)
    {
        var canary = ValidCanary(specOverride);

        var errors = CanaryValidation.Validate(canary).Errors;

        var error = Assert.Single(errors, e => e.Path == path);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"analysis":{"iterations":10,"match":[{"headers":{"x":{"exact":"1"}}}]}}""")]
    [InlineData("""{"analysis":{"iterations":10}}""")]
    [InlineData("""{"analysis":{"stepWeights":[1,5,50],"interval":"1s"}}""")]
    [InlineData("""{"analysis":{"webhooks":[{"name":"w","url":"http://x/","type":""}]}}""")]
    [InlineData("""{"provider":"gatewayapi:v1beta1","service":{"port":80,"gatewayRefs":[{"name":"gw"}]}}""")]
    [InlineData("""{"service":{"port":80,"targetPort":"http"}}""")]
    [InlineData("""{"analysis":null,"skipAnalysis":true}""")]
    [InlineData("""{"provider":"knative","targetRef":{"apiVersion":"serving.knative.dev/v1","kind":"Service","name":"app"}}""")]
    [InlineData("""{"provider":"kubernetes","targetRef":{"apiVersion":"v1","kind":"Service","name":"app"}}""")]
    [InlineData("""{"autoscalerRef":{"apiVersion":"autoscaling/v2beta2","kind":"HorizontalPodAutoscaler","name":"app"}}""")]
    public void Valid_variants_pass(string specOverride)
    {
        var result = CanaryValidation.Validate(ValidCanary(specOverride));

        Assert.True(result.IsValid, result.Summary);
    }

    [Fact]
    public void Summary_lists_path_and_message()
    {
        var result = CanaryValidation.Validate(ValidCanary("""{"analysis":{"threshold":-1}}"""));

        Assert.Equal("spec.analysis.threshold: must not be negative (got -1)", result.Summary);
    }

    [Fact]
    public void Metric_template_rules()
    {
        var valid = CanaryYaml.Deserialize<MetricTemplate>(TestFiles.Read("metrictemplate.yaml"));
        var invalid = new MetricTemplate
        {
            Metadata = new V1ObjectMeta { Name = "t" },
            Spec = new MetricTemplateSpec { Provider = new MetricProvider { Type = "graphana", Address = "not a url", SecretRef = new SecretKeyReference() } },
        };

        Assert.True(CanaryValidation.Validate(valid).IsValid, CanaryValidation.Validate(valid).Summary);
        var errors = CanaryValidation.Validate(invalid).Errors;
        Assert.Equal(
            ["spec.provider.type", "spec.provider.address", "spec.provider.secretRef.name", "spec.query"],
            errors.Select(e => e.Path));
        Assert.Contains("prometheus, influxdb, datadog", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("spec.provider", Assert.Single(CanaryValidation.Validate(new MetricTemplate { Spec = new() { Query = "up" } }).Errors).Path);
    }

    [Fact]
    public void Metric_template_judge_needs_the_queries_of_its_type()
    {
        static IEnumerable<string> Paths(MetricTemplateJudge judge) => CanaryValidation.Validate(new MetricTemplate
        {
            Metadata = new V1ObjectMeta { Name = "t" },
            Spec = new MetricTemplateSpec { Provider = new MetricProvider { Type = "prometheus", Address = "http://prom:9090" }, Query = "up", Judge = judge },
        }).Errors.Select(e => e.Path);

        Assert.Equal(["spec.judge.requestsQuery", "spec.judge.failuresQuery"], Paths(new MetricTemplateJudge { Type = "ratio" }));
        Assert.Equal(["spec.judge.bucketsQuery", "spec.judge.bucketsToMilliseconds"], Paths(new MetricTemplateJudge { Type = "histogram", BucketsToMilliseconds = 0 }));
        Assert.Equal(["spec.judge.type"], Paths(new MetricTemplateJudge { Type = "value", RequestsQuery = "a", FailuresQuery = "b" }));
        Assert.Empty(Paths(new MetricTemplateJudge { Type = "histogram", BucketsQuery = "sum by (le) (x_bucket)", BucketsToMilliseconds = 1000 }));
    }

    [Fact]
    public void A_controller_refuses_template_fields_its_backend_would_ignore()
    {
        var support = Support.ApiSupport.Everything with { MetricBackends = ["prometheus"] };
        var template = new MetricTemplate
        {
            Metadata = new V1ObjectMeta { Name = "t" },
            Spec = new MetricTemplateSpec { Provider = new MetricProvider { Type = "prometheus", Address = "http://prom:9090", Region = "eu-west-1" }, Query = "up" },
        };

        Assert.Equal("spec.provider.region: is only used by cloudwatch; the prometheus backend would ignore it", CanaryValidation.Validate(template, support).Summary);
        Assert.True(CanaryValidation.Validate(template).IsValid);
    }

    [Fact]
    public void A_histogram_judge_needs_prometheus_and_a_ratio_judge_takes_any_backend()
    {
        static MetricTemplate WithJudge(string type, string judge) => new()
        {
            Metadata = new V1ObjectMeta { Name = "t" },
            Spec = new MetricTemplateSpec
            {
                Provider = new MetricProvider { Type = type, Address = "https://api.datadoghq.com" },
                Query = "q",
                Judge = new MetricTemplateJudge { Type = judge, RequestsQuery = "r", FailuresQuery = "f", BucketsQuery = "b" },
            },
        };

        Assert.Equal("spec.judge.type: histogram needs a backend answering one sample per bucket (le label), which only prometheus does; with datadog use ratio",
            CanaryValidation.Validate(WithJudge("datadog", "histogram"), Support.ApiSupport.Everything).Summary);
        Assert.True(CanaryValidation.Validate(WithJudge("datadog", "ratio"), Support.ApiSupport.Everything).IsValid);
        Assert.True(CanaryValidation.Validate(WithJudge("prometheus", "histogram"), Support.ApiSupport.Everything).IsValid);
    }

    [Fact]
    public void A_cloudwatch_template_needs_its_region()
    {
        static MetricTemplate CloudWatch(string? region) => new()
        {
            Metadata = new V1ObjectMeta { Name = "t" },
            Spec = new MetricTemplateSpec { Provider = new MetricProvider { Type = "cloudwatch", Region = region }, Query = """[{"Id": "e1", "Expression": "m1 / m2"}]""" },
        };

        Assert.Equal("spec.provider.region: is required by cloudwatch: the AWS region of the metrics, e.g. us-east-1",
            CanaryValidation.Validate(CloudWatch(null), Support.ApiSupport.Everything).Summary);
        Assert.Equal("spec.provider.region", Assert.Single(CanaryValidation.Validate(CloudWatch(" "), Support.ApiSupport.Everything).Errors).Path);
        Assert.True(CanaryValidation.Validate(CloudWatch("ap-northeast-1"), Support.ApiSupport.Everything).IsValid);

        // A controller without cloudwatch refuses the type; the region is then not worth a second error.
        var withoutCloudWatch = CanaryValidation.Validate(CloudWatch(null), Support.ApiSupport.Everything with { MetricBackends = ["prometheus"] });
        Assert.Equal(["spec.provider.type"], withoutCloudWatch.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Alert_provider_rules()
    {
        var valid = CanaryYaml.Deserialize<AlertProvider>(TestFiles.Read("alertprovider.yaml"));
        var invalid = new AlertProvider { Spec = new AlertProviderSpec { Type = "pagerduty", Proxy = "proxy:3128" } };
        var viaSecret = new AlertProvider { Spec = new AlertProviderSpec { Type = "msteams", SecretRef = new SecretKeyReference { Name = "s" } } };

        Assert.True(CanaryValidation.Validate(valid).IsValid, CanaryValidation.Validate(valid).Summary);
        Assert.True(CanaryValidation.Validate(viaSecret).IsValid);
        var errors = CanaryValidation.Validate(invalid).Errors;
        Assert.Equal(["spec.type", "spec.address", "spec.proxy"], errors.Select(e => e.Path));
        Assert.Contains("slack, msteams, discord, rocket, gchat", errors[0].Message, StringComparison.Ordinal);
    }

    private static V1Beta1.Canary Parse(string json) => CanaryJson.Deserialize<V1Beta1.Canary>(json);

    // A valid canary; specOverride's top-level spec fields replace the defaults.
    private static V1Beta1.Canary ValidCanary(string specOverride = "{}")
    {
        var spec = System.Text.Json.Nodes.JsonNode.Parse("""
            {
              "provider": "istio",
              "targetRef": { "apiVersion": "apps/v1", "kind": "Deployment", "name": "podinfo" },
              "service": { "port": 9898 },
              "analysis": {
                "interval": "30s", "threshold": 5, "maxWeight": 50, "stepWeight": 10,
                "metrics": [ { "name": "request-success-rate", "thresholdRange": { "min": 99 }, "interval": "1m" } ],
                "webhooks": [ { "name": "load", "url": "http://loadtester.test/", "timeout": "5s" } ]
              }
            }
            """)!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(specOverride)!.AsObject())
        {
            spec[key] = value?.DeepClone();
        }

        return Parse($$"""{"apiVersion":"canary.dev/v1beta1","kind":"Canary","metadata":{"name":"podinfo"},"spec":{{spec.ToJsonString()}}}""");
    }
}
