using System.Text.Json.Nodes;
using Canary.Api.Defaults;
using Canary.Api.Serialization;
using Canary.Cli.Commands.Offline;
using Canary.Cli.Commands.Offline.Documents;
using Canary.Cli.Commands.Offline.Plan;
using Canary.Rollout.StateMachine;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Tests.Offline;

/// <summary>The pure parts of the offline commands, in process.</summary>
public sealed class OfflinePartsTests
{
    [Fact]
    public void Documents_keep_their_own_text_with_the_comments_above_them_and_without_markers()
    {
        const string text = "# first\na: 1\n---\n# second\nb: 2\n...\n---\nc: 3\n";

        var stream = ManifestReader.Parse("f.yaml", text);

        Assert.Null(stream.Error);
        Assert.Equal(["# first\na: 1\n", "# second\nb: 2\n", "c: 3\n"], stream.Documents.Select(d => d.Text));
        Assert.Equal([1, 2, 3], stream.Documents.Select(d => d.Index));
        Assert.Equal(3L, (long)stream.Documents[2].Node!["c"]!);
    }

    [Fact]
    public void A_syntax_error_names_its_document_line_and_column_and_the_documents_before_it_are_still_read()
    {
        var stream = ManifestReader.Parse("f.yaml", "a: 1\n---\nb: [1, 2\n");

        Assert.Equal(2, stream.Error!.Document);
        Assert.Equal(4, stream.Error.Line);
        Assert.Single(stream.Documents);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(30, "30s")]
    [InlineData(60, "1m")]
    [InlineData(90, "1m30s")]
    [InlineData(3600, "1h")]
    [InlineData(3725, "1h2m5s")]
    public void Durations_print_as_people_write_them(int seconds, string expected) =>
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("1m", "30s", "metric m: a 1m window with a 30s interval double-counts: each sample is judged 2 times")]
    [InlineData("5m", "2m", "metric m: a 5m window with a 2m interval double-counts: each sample is judged up to 3 times")]
    [InlineData("30s", "1m", "metric m: a 30s window with a 1m interval leaves gaps: 30s of every 1m is never checked")]
    [InlineData("1m", "1m", null)]
    public void A_metric_window_is_compared_with_the_analysis_interval(string window, string interval, string? expected)
    {
        var warnings = Warnings($$"""
            spec:
              provider: istio
              targetRef: {kind: Deployment, name: a}
              service: {port: 80}
              analysis:
                interval: {{interval}}
                threshold: 2
                stepWeight: 50
                metrics: [{name: m, templateRef: {name: t}, interval: {{window}}}]
            """);

        Assert.Equal(expected is null ? [] : [expected], warnings);
    }

    [Fact]
    public void The_judge_compares_per_step_so_windows_are_not_warned_about()
    {
        var warnings = Warnings("""
            spec:
              provider: istio
              targetRef: {kind: Deployment, name: a}
              service: {port: 80}
              analysis:
                interval: 30s
                threshold: 2
                stepWeight: 50
                judge: {}
                metrics: [{name: request-success-rate, interval: 5m}]
            """);

        Assert.Empty(warnings);
    }

    [Fact]
    public void Analysis_that_checks_nothing_and_skipped_analysis_are_warned_about()
    {
        Assert.Equal(["no metrics and no rollout webhooks: nothing is checked, every step passes (only gates can hold the release)"], Warnings("""
            spec:
              targetRef: {kind: Deployment, name: a}
              service: {port: 80}
              analysis: {interval: 1m, stepWeight: 50}
            """));
        Assert.Equal(["skipAnalysis is true: a new revision is promoted at once, without any check"], Warnings("""
            spec:
              skipAnalysis: true
              targetRef: {kind: Deployment, name: a}
              service: {port: 80}
              analysis: {interval: 1m, stepWeight: 50, metrics: [{name: request-success-rate}]}
            """));
    }

    [Fact]
    public void The_simulator_plays_the_controllers_state_machine_from_detection_to_succeeded()
    {
        var canary = Canary("""
            spec:
              targetRef: {kind: Deployment, name: a}
              service: {port: 80}
              analysis: {interval: 1m, stepWeight: 50, metrics: [{name: request-success-rate}]}
            """);
        var simulator = new RolloutSimulator("a", "default", CanaryDefaults.Resolve(canary.Spec), "istio", "Deployment");

        var ticks = simulator.Run((_, _) => CheckOutcome.Pass);

        Assert.Equal(
            ["Progressing", "Progressing", "Progressing", "Promoting", "Finalising", "Succeeded"],
            ticks.Select(t => t.Phase.ToString()));
        Assert.Equal([0, 50, 100, 100, 0, 0], ticks.Select(t => t.Routes.CanaryWeight));
        Assert.Equal(TimeSpan.FromMinutes(5), ticks[^1].At);
    }

    [Fact]
    public void Unknown_fields_are_found_by_path_and_removed_where_they_are()
    {
        var input = JsonNode.Parse("""{"spec":{"known":1,"list":[{"a":1,"extra":2}],"map":{"x.y":1}},"other":null}""")!;
        var roundTrip = JsonNode.Parse("""{"spec":{"known":1,"list":[{"a":1}],"map":{"x.y":1}}}""");

        var unknown = UnknownFields.Find(input, roundTrip);

        Assert.Equal(["spec.list[0].extra"], unknown.Select(u => u.Path));
        unknown[0].Remove();
        Assert.Equal("""{"spec":{"known":1,"list":[{"a":1}],"map":{"x.y":1}},"other":null}""", input.ToJsonString());
    }

    private static CanaryResource Canary(string yaml) =>
        CanaryYaml.Deserialize<CanaryResource>("apiVersion: canary.dev/v1beta1\nkind: Canary\nmetadata: {name: a}\n" + yaml);

    private static IReadOnlyList<string> Warnings(string yaml)
    {
        var document = Assert.Single(ManifestReader.Parse("t.yaml", "apiVersion: canary.dev/v1beta1\nkind: Canary\nmetadata: {name: a}\n" + yaml).Documents);
        var plan = RolloutPlanner.For(document, MeshProviderOption.Default);
        Assert.Empty(plan.Errors);
        return plan.Warnings;
    }
}
