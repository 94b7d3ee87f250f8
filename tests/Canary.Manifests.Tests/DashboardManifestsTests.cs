using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Canary.Manifests.Tests;

/// <summary>
/// manifests/dashboards: the Grafana dashboard on the controller's metrics, shipped as the ConfigMap Grafana's
/// dashboard sidecar loads (label grafana_dashboard=1). That every metric it queries exists is an end-to-end test
/// (tests/Canary.E2E/Scenarios/GrafanaDashboardTests.cs).
/// </summary>
public sealed class DashboardManifestsTests
{
    private const string Folder = "manifests/dashboards";
    private const string JsonFile = "canary-grafana.json";

    [Fact]
    public void Renders_exactly_one_sidecar_ConfigMap_holding_the_dashboard_file_as_valid_json()
    {
        var docs = Kustomize.Render(Folder);

        var configMap = Assert.Single(docs);
        Assert.Equal("ConfigMap", configMap.Kind());
        Assert.Equal("canary-grafana-dashboard", configMap.Name());
        Assert.Equal("1", configMap.Str("metadata", "labels", "grafana_dashboard"));

        // No namespace of its own: `kubectl apply -k manifests/dashboards -n <monitoring namespace>` picks it.
        Assert.Null(configMap.Str("metadata", "namespace"));

        var data = Assert.IsType<YamlMappingNode>(configMap.At("data"));
        var entry = Assert.Single(data.Children);
        Assert.Equal(JsonFile, ((YamlScalarNode)entry.Key).Value);
        var rendered = JsonNode.Parse(((YamlScalarNode)entry.Value).Value!);
        var onDisk = JsonNode.Parse(File.ReadAllText(Path.Combine(Kustomize.RepoRoot, Folder, JsonFile)));
        Assert.True(JsonNode.DeepEquals(onDisk, rendered), "the ConfigMap's dashboard differs from " + JsonFile);
    }

    [Fact]
    public void Dashboard_queries_a_datasource_variable_and_filters_canaries_by_namespace_and_name()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(Kustomize.RepoRoot, Folder, JsonFile)))!;

        Assert.True(dashboard["schemaVersion"]!.GetValue<int>() >= 39);
        var variables = dashboard["templating"]!["list"]!.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!);
        Assert.Equal("datasource", variables["datasource"]["type"]!.GetValue<string>());
        Assert.Equal("prometheus", variables["datasource"]["query"]!.GetValue<string>());
        Assert.StartsWith("label_values(canary_", variables["namespace"]["query"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("label_values(canary_", variables["name"]["query"]!.GetValue<string>(), StringComparison.Ordinal);

        // Every panel and query reads the data source the user picked, never one fixed by uid.
        var panels = dashboard["panels"]!.AsArray().Where(p => p!["type"]!.GetValue<string>() != "row").ToList();
        Assert.NotEmpty(panels);
        foreach (var panel in panels)
        {
            var title = panel!["title"]!.GetValue<string>();
            Assert.True(panel["datasource"]?["uid"]?.GetValue<string>() == "${datasource}", $"panel '{title}' does not use ${{datasource}}");
            var targets = panel["targets"]!.AsArray();
            Assert.NotEmpty(targets);
            Assert.All(targets, t => Assert.Equal("${datasource}", t!["datasource"]!["uid"]!.GetValue<string>()));
        }

        // Panel ids are unique (Grafana keys panel state and links by id).
        var ids = dashboard["panels"]!.AsArray().Select(p => p!["id"]!.GetValue<int>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
