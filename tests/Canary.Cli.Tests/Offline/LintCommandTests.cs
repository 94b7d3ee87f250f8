using System.Text.Json.Nodes;

namespace Canary.Cli.Tests.Offline;

using Cli = Canary.Cli.Tests.Support.Cli;

/// <summary><c>kubectl canary lint</c>, run as a user would.</summary>
public sealed class LintCommandTests
{
    [Fact]
    public async Task The_examples_are_clean()
    {
        var run = await Cli.RunAsync(["lint", "manifests/examples"], workingDirectory: OfflineFiles.RepositoryRoot);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("5 documents, no errors (4 of other kinds, not checked)\n", run.Stdout);
        Assert.Equal(string.Empty, run.Stderr);
    }

    [Fact]
    public async Task One_clean_canary_file()
    {
        var run = await Cli.RunAsync(["lint", "manifests/examples/podinfo-canary.yaml"], workingDirectory: OfflineFiles.RepositoryRoot);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("1 document, no errors\n", run.Stdout);
    }

    [Fact]
    public async Task Every_error_is_printed_as_file_document_field_path_and_message_and_the_exit_code_is_1()
    {
        var run = await Cli.RunAsync(["lint", "Lint/errors.yaml"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            """
            Lint/errors.yaml:1: spec.targetRef.apiVersion: 'apps/v1beta9' is not an apiVersion of Deployment; allowed: apps/v1
            Lint/errors.yaml:1: spec.analysis.maxWeight: must be between 0 and 100 (got 150)
            Lint/errors.yaml:1: spec.analysis.stepWeights: cannot be combined with stepWeight; use either a fixed stepWeight or a list of stepWeights
            Lint/errors.yaml:1: spec.analysis.webhooks[0].url: 'not-a-url' must be an absolute http(s) URL, e.g. http://service.namespace:8080/path
            Lint/errors.yaml:1: spec.analysis.mirror: provider kubernetes cannot mirror traffic with the canary strategy
            Lint/errors.yaml:1: spec.analysis.metrics[0].intervall: is not a field of canary.dev/v1beta1 Canary
            Lint/errors.yaml:3: spec.query: is required
            Lint/errors.yaml:3: spec.provider.type: 'keptn' is not supported: it reads KeptnMetric and Analysis objects of Keptn's metrics operator (metrics.keptn.sh), whose values come from another provider; query that provider (prometheus, datadog, dynatrace, ...) with a MetricTemplate instead
            Lint/errors.yaml:4: spec.type: 'telegram' is not supported; allowed values: slack, msteams, discord, rocket, gchat
            Lint/errors.yaml:4: spec.address: is required unless secretRef names a Secret with an address key
            4 documents, 10 errors (1 of other kinds, not checked)

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            run.Stdout);
    }

    [Fact]
    public async Task A_folder_is_read_recursively_yaml_and_yml_only_and_a_syntax_error_has_its_line_and_column()
    {
        var run = await Cli.RunAsync(["lint", "Lint"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(1, run.ExitCode);
        OfflineFiles.AssertGolden("lint/folder.txt", run.Stdout);
        Assert.Contains("Lint/nested/syntax.yml:2: line 15, column 12: While scanning a plain scalar value, found invalid mapping.\n", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("not-yaml.txt", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_lists_file_document_kind_name_field_and_message()
    {
        var run = await Cli.RunAsync(["lint", "Lint", "-o", "json"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(1, run.ExitCode);
        OfflineFiles.AssertGolden("lint/folder.json", run.Stdout);
        var findings = JsonNode.Parse(run.Stdout)!.AsArray();
        Assert.Equal(11, findings.Count);
        var first = findings[0]!;
        Assert.Equal("Lint/errors.yaml", (string?)first["file"]);
        Assert.Equal(1, (int)first["document"]!);
        Assert.Equal("Canary", (string?)first["kind"]);
        Assert.Equal("podinfo", (string?)first["name"]);
        Assert.Equal("spec.targetRef.apiVersion", (string?)first["field"]);
        Assert.Null(findings[^1]!["field"]);
    }

    [Fact]
    public async Task Clean_json_output_is_an_empty_list()
    {
        var run = await Cli.RunAsync(["lint", "manifests/examples", "-o", "json"], workingDirectory: OfflineFiles.RepositoryRoot);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(JsonNode.Parse(run.Stdout)!.AsArray());
    }

    [Fact]
    public async Task Stdin_a_wrong_type_an_unknown_kind_and_a_flagger_canary()
    {
        const string stream = """
            apiVersion: canary.dev/v1beta1
            kind: Canary
            metadata: {name: typed}
            spec:
              targetRef: {kind: Deployment, name: typed}
              service: {port: "eighty"}
            ---
            apiVersion: canary.dev/v1beta1
            kind: Canry
            metadata: {name: typo}
            ---
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata: {name: flagger}
            spec:
              provider: linkerd
              targetRef: {kind: Deployment, name: flagger}
              service: {port: 80}
            """;

        var run = await Cli.RunAsync(["lint", "-"], stdin: stream);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            """
            -:1: spec.service.port: has the wrong type: expected an integer
            -:2: kind: 'Canry' is not a kind of canary.dev/v1beta1; kinds: Canary, MetricTemplate, AlertProvider, CanaryRequest
            3 documents, 2 errors

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            run.Stdout);
    }

    [Fact]
    public async Task The_mesh_provider_is_the_default_provider_the_controller_checks_against()
    {
        var istio = await Cli.RunAsync(["lint", "Flagger/gatewayapi-canary.yaml"], workingDirectory: OfflineFiles.Directory);
        var gatewayApi = await Cli.RunAsync(["lint", "Flagger/gatewayapi-canary.yaml", "--mesh-provider", "gatewayapi:v1"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(1, istio.ExitCode);
        Assert.StartsWith("Flagger/gatewayapi-canary.yaml:1: spec.service.gatewayRefs: is not used by provider istio", istio.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, gatewayApi.ExitCode);
    }

    [Fact]
    public async Task A_missing_path_exits_1()
    {
        var run = await Cli.RunAsync(["lint", "no/such/place"], workingDirectory: OfflineFiles.Directory);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("lint: no/such/place: no such file or folder\n", run.Stderr);
    }

    [Fact]
    public async Task Help_describes_the_command()
    {
        var run = await Cli.RunAsync(["lint", "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Check Canaries, MetricTemplates and AlertProviders offline with the controller's own validation", run.Stdout, StringComparison.Ordinal);
    }
}
