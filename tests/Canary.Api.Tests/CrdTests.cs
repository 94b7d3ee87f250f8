using System.Collections;
using Canary.Api.Crd;
using Canary.Api.Serialization;

namespace Canary.Api.Tests;

public class CrdDriftTests
{
    [Fact]
    public void Committed_crds_match_the_generated_ones()
    {
        var directory = Path.Combine(TestFiles.RepositoryRoot(), "manifests", "crds");
        var stale = new List<string>();

        foreach (var file in CrdGenerator.CreateDefault().GenerateAll())
        {
            var path = Path.Combine(directory, file.FileName);
            if (!File.Exists(path) || File.ReadAllText(path).ReplaceLineEndings("\n") != file.Yaml.ReplaceLineEndings("\n"))
            {
                stale.Add(file.FileName);
            }
        }

        Assert.True(stale.Count == 0,
            $"manifests/crds is out of date ({string.Join(", ", stale)}). Regenerate with: dotnet run --project src/Canary.CrdGen -- manifests/crds");
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var first = CrdGenerator.CreateDefault().GenerateAll();
        var second = CrdGenerator.CreateDefault().GenerateAll();

        Assert.Equal(first, second);
    }
}

public class CrdSchemaTests
{
    private static readonly CrdGenerator Generator = CrdGenerator.CreateDefault();

    public static TheoryData<string> Kinds() => new(CrdCatalog.All.Select(d => d.Kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_schema_node_is_structural(string kind)
    {
        var schema = OpenApiSchema(kind);
        var problems = new List<string>();

        Walk(schema, "openAPIV3Schema", problems);

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Crd_is_namespaced_with_status_subresource_and_category_all(string kind)
    {
        var spec = Map(Crd(kind)["spec"]);
        var version = Map(List(spec["versions"])[0]);

        Assert.Equal("Namespaced", spec["scope"]);
        Assert.Equal(["all"], List(Map(spec["names"])["categories"]).Cast<string>());
        Assert.True(Map(version["subresources"]).Contains("status"));
        Assert.Equal("v1beta1", version["name"]);
    }

    [Fact]
    public void Canary_printer_columns_match_flagger()
    {
        var columns = PrinterColumns("Canary");

        Assert.Equal(
            ["Status", "Weight", "FailedChecks", "Suspended", "Interval", "Mirror", "StepWeight", "StepWeights", "MaxWeight", "LastTransitionTime", "Age"],
            columns.Select(c => (string)c["name"]!));
        Assert.Equal(".status.phase", columns[0]["jsonPath"]);
        Assert.Equal(1, columns.Single(c => (string)c["name"]! == "StepWeights")["priority"]);
        Assert.False(columns.Single(c => (string)c["name"]! == "Status").Contains("priority"));
    }

    [Theory]
    [InlineData("MetricTemplate", "Provider", ".spec.provider.type")]
    [InlineData("AlertProvider", "Type", ".spec.type")]
    public void Other_kinds_have_their_type_column(string kind, string column, string jsonPath) =>
        Assert.Equal(jsonPath, PrinterColumns(kind).Single(c => (string)c["name"]! == column)["jsonPath"]);

    [Fact]
    public void Canary_schema_carries_required_fields_enums_and_special_types()
    {
        var spec = Property(OpenApiSchema("Canary"), "spec");
        var service = Property(spec, "service");
        var analysis = Property(spec, "analysis");
        var webhook = Map(Property(analysis, "webhooks")["items"]);
        var phase = Property(Property(OpenApiSchema("Canary"), "status"), "phase");

        Assert.Equal(["service", "targetRef"], List(spec["required"]).Cast<string>());
        Assert.Equal(["kind", "name"], List(Property(spec, "targetRef")["required"]).Cast<string>());
        Assert.Equal(["port"], List(service["required"]).Cast<string>());
        Assert.Equal(["name", "url"], List(webhook["required"]).Cast<string>());
        Assert.Equal(["name"], List(Map(Property(analysis, "metrics")["items"])["required"]).Cast<string>());
        Assert.Equal(true, Property(service, "targetPort")["x-kubernetes-int-or-string"]);
        Assert.Equal(true, Property(service, "trafficPolicy")["x-kubernetes-preserve-unknown-fields"]);
        Assert.Equal("string", Map(Property(spec, "metricsServer"))["type"]);
        Assert.Equal("string", Map(Property(analysis, "metrics")["items"]) is var m ? Map(Property(m, "templateVariables")["additionalProperties"])["type"] : null);
        Assert.Contains("WaitingPromotion", List(phase["enum"]).Cast<string>());
        Assert.Contains("", List(phase["enum"]).Cast<string>());
        Assert.Contains("confirm-traffic-increase", List(Property(webhook, "type")["enum"]).Cast<string>());
        Assert.Contains("gatewayapi:v1", List(Property(spec, "provider")["enum"]).Cast<string>());
        Assert.Equal(["Deployment", "DaemonSet", "Service"], List(Property(Property(spec, "targetRef"), "kind")["enum"]).Cast<string>());
        Assert.Equal("object", Property(OpenApiSchema("Canary"), "metadata")["type"]);
        Assert.False(Property(OpenApiSchema("Canary"), "metadata").Contains("properties"));
    }

    [Fact]
    public void Every_spec_property_has_a_description()
    {
        var missing = new List<string>();
        foreach (var kind in CrdCatalog.All.Select(d => d.Kind))
        {
            CollectUndescribed(Property(OpenApiSchema(kind), "spec"), $"{kind}.spec", missing);
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Interval_pattern_accepts_go_durations()
    {
        var pattern = (string)Property(Property(Property(OpenApiSchema("Canary"), "spec"), "analysis"), "interval")["pattern"]!;
        var regex = new System.Text.RegularExpressions.Regex(pattern);

        Assert.All(["1m", "30s", "1m30s", "500ms", "1h2m3.5s"], d => Assert.Matches(regex, d));
        Assert.All(["", "1", "1d", "-1m", "m"], d => Assert.DoesNotMatch(regex, d));
    }

    [Fact]
    public void Committed_yaml_parses_back_to_the_generated_tree()
    {
        var file = Generator.GenerateAll().Single(f => f.FileName == CrdCatalog.Canaries.FileName);

        var node = CanaryYaml.ToJsonNodes(file.Yaml)[0]!;

        Assert.Equal("canaries.canary.dev", (string?)node["metadata"]!["name"]);
        Assert.Equal("object", (string?)node["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["type"]);
    }

    private static OrderedDictionary<string, object> Crd(string kind) => Generator.Build(CrdCatalog.All.Single(d => d.Kind == kind));

    private static IDictionary OpenApiSchema(string kind) =>
        Map(Map(Map(List(Map(Crd(kind)["spec"])["versions"])[0])["schema"])["openAPIV3Schema"]);

    private static List<IDictionary> PrinterColumns(string kind) =>
        [.. List(Map(List(Map(Crd(kind)["spec"])["versions"])[0])["additionalPrinterColumns"]).Cast<IDictionary>()];

    private static IDictionary Property(IDictionary schema, string name) => Map(Map(schema["properties"])[name]);

    private static IDictionary Map(object? value) => Assert.IsAssignableFrom<IDictionary>(value);

    private static IList List(object? value) => Assert.IsAssignableFrom<IList>(value);

    // Structural schema rules: every node has a type, except int-or-string nodes, which instead carry the extension.
    private static void Walk(IDictionary node, string path, List<string> problems)
    {
        var intOrString = node.Contains("x-kubernetes-int-or-string");
        if (!node.Contains("type") && !intOrString)
        {
            problems.Add($"{path}: no type");
        }

        if (node["type"] is "object" && !node.Contains("properties") && !node.Contains("additionalProperties") &&
            !node.Contains("x-kubernetes-preserve-unknown-fields") && path != "openAPIV3Schema.metadata")
        {
            problems.Add($"{path}: object without properties, additionalProperties or preserve-unknown-fields");
        }

        if (node["type"] is "array" && node["items"] is not IDictionary)
        {
            problems.Add($"{path}: array without items");
        }

        if (node["properties"] is IDictionary properties)
        {
            foreach (DictionaryEntry property in properties)
            {
                Walk(Map(property.Value), $"{path}.{property.Key}", problems);
            }
        }

        foreach (var child in new[] { "items", "additionalProperties" })
        {
            if (node[child] is IDictionary nested)
            {
                Walk(nested, $"{path}.{child}", problems);
            }
        }

        if (node["anyOf"] is IList anyOf)
        {
            foreach (var alternative in anyOf)
            {
                Assert.True(Map(alternative).Contains("type"));
            }
        }
    }

    private static void CollectUndescribed(IDictionary node, string path, List<string> missing)
    {
        if (node["properties"] is IDictionary properties)
        {
            foreach (DictionaryEntry property in properties)
            {
                var child = Map(property.Value);
                if (!child.Contains("description"))
                {
                    missing.Add($"{path}.{property.Key}");
                }

                CollectUndescribed(child, $"{path}.{property.Key}", missing);
            }
        }

        if (node["items"] is IDictionary items)
        {
            CollectUndescribed(items, $"{path}[]", missing);
        }
    }
}
