using System.Text.Json.Nodes;
using Canary.Api.Serialization;

namespace Canary.Cli.Tests.Offline;

using Cli = Canary.Cli.Tests.Support.Cli;

/// <summary><c>kubectl canary import</c> on Flagger's own documented manifests (copied under Flagger/), run as a user would.</summary>
public sealed class ImportCommandTests
{
    public static TheoryData<string> FlaggerExamples => new(
        "istio-canary", "istio-abtest", "linkerd-canary-steps", "kubernetes-blue-green", "nginx-canary", "webhooks-and-alerts",
        "prometheus-metrictemplate", "datadog-metrictemplate", "slack-alertprovider", "podinfo-stream");

    [Theory]
    [MemberData(nameof(FlaggerExamples))]
    public async Task Flagger_examples_convert_as_the_golden_files_say(string name)
    {
        var run = await Cli.RunAsync(["import", $"Flagger/{name}.yaml"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(0, run.ExitCode);
        OfflineFiles.AssertGolden($"import/{name}.yaml", run.Stdout);
        OfflineFiles.AssertGolden($"import/{name}.stderr.txt", run.Stderr);
    }

    [Theory]
    [MemberData(nameof(FlaggerExamples))]
    public async Task Every_field_carries_over_only_the_api_version_and_the_documented_additions_differ(string name)
    {
        var path = OfflineFiles.PathOf($"Flagger/{name}.yaml");
        var input = CanaryYaml.ToJsonNodes(await File.ReadAllTextAsync(path));
        var run = await Cli.RunAsync(["import", path]);
        var output = CanaryYaml.ToJsonNodes(run.Stdout);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(input.Count, output.Count);
        for (var i = 0; i < input.Count; i++)
        {
            var expected = input[i]!.DeepClone().AsObject();
            if ((string?)expected["apiVersion"] == "flagger.app/v1beta1")
            {
                expected["apiVersion"] = "canary.dev/v1beta1";
                var spec = expected["spec"]!.AsObject();
                // The documented additions: Flagger's defaults where ours differ, written so the behaviour is kept.
                if ((string?)expected["kind"] == "Canary" && !spec.ContainsKey("revertOnDeletion"))
                {
                    spec["revertOnDeletion"] = false;
                }

                if ((string?)expected["kind"] == "AlertProvider" && !spec.ContainsKey("username"))
                {
                    spec["username"] = "flagger";
                }
            }

            Assert.True(JsonNode.DeepEquals(expected, output[i]), $"document {i + 1}:\nexpected {expected.ToJsonString()}\nactual   {output[i]?.ToJsonString()}");
        }
    }

    [Theory]
    [MemberData(nameof(FlaggerExamples))]
    public async Task What_import_writes_passes_lint(string name)
    {
        var imported = await Cli.RunAsync(["import", $"Flagger/{name}.yaml"], workingDirectory: OfflineFiles.Directory);
        var lint = await Cli.RunAsync(["lint", "-"], stdin: imported.Stdout);

        Assert.Equal(0, lint.ExitCode);
        Assert.Contains(", no errors", lint.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Documents_of_other_kinds_pass_through_as_written_comments_included()
    {
        var path = OfflineFiles.PathOf("Flagger/podinfo-stream.yaml");
        var run = await Cli.RunAsync(["import", "-"], stdin: await File.ReadAllTextAsync(path));

        Assert.Equal(0, run.ExitCode);
        var documents = run.Stdout.Split("---\n");
        var written = (await File.ReadAllTextAsync(path)).Split("---\n");
        Assert.Equal(3, documents.Length);
        Assert.Equal(written[0], documents[0]);
        Assert.Equal(written[1], documents[1]);
        Assert.StartsWith("# From fluxcd/flagger kustomize/podinfo/deployment.yaml", documents[0], StringComparison.Ordinal);
        Assert.StartsWith("apiVersion: canary.dev/v1beta1\nkind: Canary\n", documents[2], StringComparison.Ordinal);
        Assert.Contains("Deployment podinfo: not a Flagger document: passed through untouched", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Canary podinfo: apiVersion flagger.app/v1beta1 → canary.dev/v1beta1", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Canary podinfo: spec.revertOnDeletion: false written", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canary_relying_on_flaggers_mesh_provider_is_refused_by_field_path_unless_the_same_default_is_given()
    {
        var istio = await Cli.RunAsync(["import", "Flagger/gatewayapi-canary.yaml"], workingDirectory: OfflineFiles.Directory);
        var gatewayApi = await Cli.RunAsync(["import", "Flagger/gatewayapi-canary.yaml", "--mesh-provider", "gatewayapi:v1"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(1, istio.ExitCode);
        Assert.Contains(
            "error: Canary podinfo: spec.service.gatewayRefs: is not used by provider istio (used by: gatewayapi, gatewayapi:v1, gatewayapi:v1beta1)",
            istio.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, gatewayApi.ExitCode);
        Assert.Contains("spec.provider not set: the controller's --mesh-provider routes it (checked against gatewayapi:v1)", gatewayApi.Stderr, StringComparison.Ordinal);
        Assert.Equal(istio.Stdout, gatewayApi.Stdout);
    }

    [Fact]
    public async Task Unknown_fields_server_fields_flaggers_interval_floor_and_alert_user_name_and_unconvertible_documents_are_reported()
    {
        var run = await Cli.RunAsync(["import", "Imports/edge-cases.yaml"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(1, run.ExitCode);
        OfflineFiles.AssertGolden("import/edge-cases.yaml", run.Stdout);
        OfflineFiles.AssertGolden("import/edge-cases.stderr.txt", run.Stderr);
        var output = CanaryYaml.ToJsonNodes(run.Stdout);
        Assert.Equal("10s", (string?)output[0]!["spec"]!["analysis"]!["interval"]);
        Assert.Null(output[0]!["status"]);
        Assert.False(output[0]!["spec"]!["service"]!.AsObject().ContainsKey("flavour"));
        Assert.Equal("flagger", (string?)output[1]!["spec"]!["username"]);
        Assert.Equal("flagger.app/v1alpha1", (string?)output[2]!["apiVersion"]);
        Assert.True((bool)output[4]!["spec"]!["revertOnDeletion"]!);
    }

    [Fact]
    public async Task A_yaml_syntax_error_is_reported_with_its_line_and_column()
    {
        var run = await Cli.RunAsync(["import", "-"], stdin: "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata:\n  name: x\n   bad: indent\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.StartsWith("-:1: line 5, column", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_the_command()
    {
        var run = await Cli.RunAsync(["import", "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Convert Flagger manifests (flagger.app/v1beta1) to canary.dev/v1beta1", run.Stdout, StringComparison.Ordinal);
    }
}
