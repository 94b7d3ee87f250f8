using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.Workloads;

namespace Canary.Sandbox.Demo;

/// <summary>How one release of the app behaves: the sandbox annotations its pod template carries.</summary>
/// <param name="Version">Image tag and release name (v1, v2, ...).</param>
/// <param name="ErrorRate">Share 0..1 of requests answered 500.</param>
/// <param name="LatencyP50">Median response time.</param>
/// <param name="LatencyP99">99th percentile response time.</param>
public sealed record AppRelease(string Version, double ErrorRate, TimeSpan LatencyP50, TimeSpan LatencyP99)
{
    /// <summary>A healthy release: no errors, 10 ms median, 50 ms p99.</summary>
    public static AppRelease Healthy(string version) => new(version, 0, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));
}

/// <summary>The objects a platform engineer would apply: a namespace, a podinfo-like Deployment, its Canary, and per provider an Ingress.</summary>
public static class DemoManifests
{
    /// <summary>Namespace of the demo app.</summary>
    public const string Namespace = "test";

    /// <summary>Name of the Deployment, the Canary and the apex Service.</summary>
    public const string AppName = "podinfo";

    /// <summary>Service port.</summary>
    public const int Port = 9898;

    /// <summary>The namespace object.</summary>
    public static JsonObject NamespaceObject() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = Namespace },
    };

    /// <summary>The user's Deployment running <paramref name="release"/>.</summary>
    public static JsonObject Deployment(AppRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = AppName, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["app"] = AppName } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 2,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = AppName } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["labels"] = new JsonObject { ["app"] = AppName },
                        ["annotations"] = Annotations(release),
                    },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "podinfod",
                            ["image"] = $"ghcr.io/stefanprodan/podinfo:{release.Version}",
                            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = Port, ["protocol"] = "TCP" }),
                        }),
                    },
                },
            },
        };
    }

    /// <summary>
    /// The user's Knative Service running <paramref name="release"/>: the same containers and behaviour as
    /// <see cref="Deployment"/>, two pods per revision (<c>autoscaling.knative.dev/min-scale</c>).
    /// </summary>
    public static JsonObject KnativeService(AppRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var template = (JsonObject)Deployment(release)["spec"]!["template"]!.DeepClone();
        ((JsonObject)template["metadata"]!["annotations"]!)["autoscaling.knative.dev/min-scale"] = "2";
        return new JsonObject
        {
            ["apiVersion"] = "serving.knative.dev/v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = AppName, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["app"] = AppName } },
            ["spec"] = new JsonObject { ["template"] = template },
        };
    }

    /// <summary>The pod-template annotations that make the simulated pods of <paramref name="release"/> behave as it does.</summary>
    public static JsonObject Annotations(AppRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return new JsonObject
        {
            [SandboxAnnotations.ErrorRate] = release.ErrorRate.ToString("0.###", CultureInfo.InvariantCulture),
            [SandboxAnnotations.LatencyP50] = Ms(release.LatencyP50),
            [SandboxAnnotations.LatencyP99] = Ms(release.LatencyP99),
        };
    }

    /// <summary>
    /// The Canary: short intervals so the whole story takes a minute or two. With <paramref name="loadTester"/>, a rollout
    /// webhook runs hey against the canary Service there, as Flagger's blue/green tutorial does.
    /// </summary>
    public static JsonObject Canary(DemoProfile profile, DemoTimings timings, Uri? loadTester = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(timings);
        var analysis = new JsonObject
        {
            ["interval"] = GoSeconds(timings.AnalysisInterval),
            ["threshold"] = timings.Threshold,
            ["metrics"] = new JsonArray(
                Metric(profile, "request-success-rate", timings, new JsonObject { ["min"] = 99 }),
                Metric(profile, "request-duration", timings, new JsonObject { ["max"] = profile.DurationThresholdMs })),
        };
        if (profile.Judge)
        {
            // The judge compares the canary with the primary over each step; thresholdRange stays as a hard floor/ceiling.
            analysis["judge"] = new JsonObject { ["minSamples"] = timings.MinSamples };
        }

        if (profile.BlueGreen)
        {
            analysis["iterations"] = timings.Iterations;
        }
        else
        {
            analysis["stepWeight"] = timings.StepWeight;
            analysis["maxWeight"] = timings.MaxWeight;
        }

        if (loadTester is not null)
        {
            // Half the users' rate from 10 workers, for a minute (a later tick while it runs is de-duplicated by the tester).
            var perWorker = Math.Max(1, (int)(timings.RequestsPerSecond / 2 / 10));
            analysis["webhooks"] = new JsonArray(new JsonObject
            {
                ["name"] = "load-test",
                ["type"] = "rollout",
                ["url"] = loadTester.ToString(),
                ["timeout"] = "5s",
                ["metadata"] = new JsonObject
                {
                    ["type"] = "cmd",
                    ["cmd"] = string.Create(CultureInfo.InvariantCulture, $"hey -z 1m -q {perWorker} -c 10 http://{AppName}-canary.{Namespace}:{Port}/"),
                },
            });
        }

        var spec = new JsonObject
        {
            ["provider"] = profile.Provider,
            ["targetRef"] = profile.KnativeService
                ? new JsonObject { ["apiVersion"] = "serving.knative.dev/v1", ["kind"] = "Service", ["name"] = AppName }
                : new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = AppName },
            ["progressDeadlineSeconds"] = 60,
            ["service"] = profile.Service(),
            ["analysis"] = analysis,
        };
        if (profile.Ingress is { } ingress)
        {
            spec["ingressRef"] = new JsonObject { ["apiVersion"] = "networking.k8s.io/v1", ["kind"] = "Ingress", ["name"] = ingress };
        }

        if (profile.ApisixRoute is { } route)
        {
            spec["routeRef"] = new JsonObject { ["apiVersion"] = "apisix.apache.org/v2", ["kind"] = "ApisixRoute", ["name"] = route };
        }

        return new JsonObject
        {
            ["apiVersion"] = "canary.dev/v1beta1",
            ["kind"] = "Canary",
            ["metadata"] = new JsonObject { ["name"] = AppName, ["namespace"] = Namespace },
            ["spec"] = spec,
        };
    }

    // A built-in check, or on InfluxDB the template of the same name (a templateRef wins over the built-in name).
    private static JsonObject Metric(DemoProfile profile, string name, DemoTimings timings, JsonObject thresholdRange)
    {
        var metric = new JsonObject { ["name"] = name, ["interval"] = GoSeconds(timings.MetricWindow), ["thresholdRange"] = thresholdRange };
        if (profile.Metrics != DemoProfile.PrometheusMetrics)
        {
            metric["templateRef"] = new JsonObject { ["name"] = $"{profile.Metrics}-{name}" };
        }

        return metric;
    }

    /// <summary>
    /// The InfluxDB MetricTemplates of <c>--metrics influxdb</c>: the target's success rate (%) and mean response time (ms)
    /// over the metric window, in InfluxQL over the totals the app pushes (measurement http_requests) to <paramref name="influxDb"/>.
    /// </summary>
    public static IEnumerable<JsonObject> InfluxDbTemplates(Uri influxDb)
    {
        ArgumentNullException.ThrowIfNull(influxDb);
        const string Where = "WHERE \"namespace\" = '{{ namespace }}' AND \"workload\" = '{{ target }}' AND time > now() - {{ interval }}";
        var address = new Uri(influxDb, "?db=canary");
        yield return Template("influxdb-request-success-rate", "influxdb", address, $"SELECT 100 * (1 - sum(\"errors\") / sum(\"requests\")) FROM \"http_requests\" {Where}");
        yield return Template("influxdb-request-duration", "influxdb", address, $"SELECT sum(\"duration_ms_sum\") / sum(\"requests\") FROM \"http_requests\" {Where}");
    }

    /// <summary>
    /// The Graphite MetricTemplates of <c>--metrics graphite</c>: the same two checks as render targets over the series the
    /// app pushes (<c>canary.&lt;ns&gt;.&lt;workload&gt;.requests|errors|duration_ms_sum</c>) to <paramref name="graphite"/>,
    /// summed over the metric window.
    /// </summary>
    public static IEnumerable<JsonObject> GraphiteTemplates(Uri graphite)
    {
        ArgumentNullException.ThrowIfNull(graphite);
        static string Sum(string field) => $"summarize(canary.{{{{ namespace }}}}.{{{{ target }}}}.{field}, '{{{{ interval }}}}', 'sum', true)";
        yield return Template("graphite-request-success-rate", "graphite", graphite,
            $"target=asPercent(diffSeries({Sum("requests")}, {Sum("errors")}), {Sum("requests")})&from=-{{{{ interval }}}}");
        yield return Template("graphite-request-duration", "graphite", graphite,
            $"target=divideSeries({Sum("duration_ms_sum")}, {Sum("requests")})&from=-{{{{ interval }}}}");
    }

    private static JsonObject Template(string name, string type, Uri address, string query) => new()
    {
        ["apiVersion"] = "canary.dev/v1beta1",
        ["kind"] = "MetricTemplate",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["provider"] = new JsonObject { ["type"] = type, ["address"] = address.ToString() },
            ["query"] = query,
        },
    };

    /// <summary>The user's Ingress for nginx or skipper (its class): the controller copies it into <c>podinfo-canary</c> with the provider's annotations.</summary>
    public static JsonObject Ingress(string name, string ingressClass = "nginx") => new()
    {
        ["apiVersion"] = "networking.k8s.io/v1",
        ["kind"] = "Ingress",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = Namespace,
            ["annotations"] = new JsonObject { ["kubernetes.io/ingress.class"] = ingressClass },
        },
        ["spec"] = new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject
            {
                ["host"] = "podinfo.example.com",
                ["http"] = new JsonObject
                {
                    ["paths"] = new JsonArray(new JsonObject
                    {
                        ["path"] = "/",
                        ["pathType"] = "Prefix",
                        ["backend"] = new JsonObject
                        {
                            ["service"] = new JsonObject { ["name"] = AppName, ["port"] = new JsonObject { ["number"] = Port } },
                        },
                    }),
                },
            }),
        },
    };

    /// <summary>The user's ApisixRoute for apisix: every path to the apex Service; the controller copies it into <c>&lt;name&gt;-podinfo-canary</c>.</summary>
    public static JsonObject ApisixRoute(string name) => new()
    {
        ["apiVersion"] = "apisix.apache.org/v2",
        ["kind"] = "ApisixRoute",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["http"] = new JsonArray(new JsonObject
            {
                ["name"] = "podinfo",
                ["match"] = new JsonObject { ["hosts"] = new JsonArray("podinfo.example.com"), ["paths"] = new JsonArray("/*") },
                ["backends"] = new JsonArray(new JsonObject { ["serviceName"] = AppName, ["servicePort"] = Port }),
            }),
        },
    };

    private static string Ms(TimeSpan value) => $"{((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms";

    private static string GoSeconds(TimeSpan value) => $"{((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s";
}
