using Canary.Sandbox.Scenarios;

namespace Canary.Sandbox.Tests.Scenarios;

public sealed class ScenarioParserTests
{
    private const string File = "benchmarks/decisions/x.yaml";

    [Fact]
    public void Reads_every_field()
    {
        var scenario = ScenarioParser.Parse(
            """
            name: errors-18x-under-threshold
            description: more errors
            expect: rollback
            provider: istio
            traffic:
              requestsPerSecond: 0.033
            primary: {errorRate: 0.0005, latencyP50: 20ms, latencyP99: 100ms}
            canary:  {errorRate: 0.009,  latencyP50: 20ms, latencyP99: 1.5s}
            changes:
              - at: 20s
                primary: {errorRate: 0.03}
                canary:  {errorRate: 0.03, latencyP99: 2s}
            """,
            File);

        Assert.Equal("errors-18x-under-threshold", scenario.Name);
        Assert.Equal("more errors", scenario.Description);
        Assert.Equal(Verdict.Rollback, scenario.Expect);
        Assert.Equal("istio", scenario.Provider);
        Assert.Equal(0.033, scenario.RequestsPerSecond);
        Assert.Equal(new VersionBehavior(0.0005, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100)), scenario.Primary);
        Assert.Equal(new VersionBehavior(0.009, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(1500)), scenario.Canary);
        var change = Assert.Single(scenario.Changes);
        Assert.Equal(TimeSpan.FromSeconds(20), change.At);
        Assert.Equal(0.03, change.Primary!.ErrorRate);
        Assert.Null(change.Primary.LatencyP99);
        Assert.Equal(TimeSpan.FromSeconds(2), change.Canary!.LatencyP99);
        Assert.Equal(File, scenario.Source);
    }

    [Fact]
    public void Defaults_provider_traffic_and_behaviours_canary_inheriting_from_primary()
    {
        var scenario = ScenarioParser.Parse(
            """
            name: good
            expect: promote
            primary: {errorRate: 0.015}
            canary: {latencyP99: 200ms}
            """,
            File);

        Assert.Equal("gatewayapi", scenario.Provider);
        Assert.Equal(50, scenario.RequestsPerSecond);
        Assert.Equal(VersionBehavior.Baseline with { ErrorRate = 0.015 }, scenario.Primary);
        Assert.Equal(VersionBehavior.Baseline with { ErrorRate = 0.015, LatencyP99 = TimeSpan.FromMilliseconds(200) }, scenario.Canary);
        Assert.Empty(scenario.Changes);
    }

    [Theory]
    [InlineData("canary: {errorRate: 1.5}", "canary.errorRate: must be between 0 and 1")]
    [InlineData("canary: {errorRate: -0.1}", "canary.errorRate: must be between 0 and 1")]
    [InlineData("canary: {errorRate: \"1%\"}", "canary.errorRate: must be a number")]
    [InlineData("canary: {latencyP50: fast}", "canary.latencyP50: 'fast' must be a duration such as 20ms, 1.5s or 2m")]
    [InlineData("canary: {latencyP50: 20ms, latencyP99: 10ms}", "canary.latencyP99: p99 (10ms) must not be below p50 (20ms)")]
    [InlineData("canary: {latencyP50: 500ms}", "canary.latencyP50: p99 (100ms) must not be below p50 (500ms)")]
    [InlineData("canary: {errorrate: 0.1}", "canary.errorrate: unknown field (known: errorRate, latencyP50, latencyP99)")]
    [InlineData("canary: 0.1", "canary: must be a mapping")]
    [InlineData("traffic: {requestsPerSecond: 0}", "traffic.requestsPerSecond: must be above 0 and at most 1000")]
    [InlineData("traffic: {}", "traffic.requestsPerSecond: is required")]
    [InlineData("provider: kubernetes", "provider: 'kubernetes' must be one of gatewayapi, gatewayapi:v1, istio, nginx (weighted canary releases)")]
    [InlineData("changes: [{primary: {errorRate: 0.1}}]", "changes[0].at: is required (time after the release starts, e.g. 2m)")]
    [InlineData("changes: [{at: 1m}]", "changes[0]: changes nothing: give primary, canary or both")]
    [InlineData("changes: [{at: 1m, canary: {errorRate: 2}}]", "changes[0].canary.errorRate: must be between 0 and 1")]
    [InlineData("changes: {at: 1m}", "changes: must be a list of {at, primary, canary}")]
    [InlineData("expected: promote", "expected: unknown field (known: name, description, expect, provider, traffic, primary, canary, changes)")]
    public void Names_the_file_and_the_field_of_a_bad_value(string line, string expected)
    {
        var text = $"name: x\nexpect: promote\n{line}\n";
        var error = Assert.Throws<ScenarioFormatException>(() => ScenarioParser.Parse(text, File));
        Assert.Equal($"{File}: {expected}", error.Message);
    }

    [Theory]
    [InlineData("expect: promote", "name: is required")]
    [InlineData("name: Bad_Name\nexpect: promote", "name: 'Bad_Name' must be lowercase letters, digits and '-', start and end with a letter or digit, at most 40 characters")]
    [InlineData("name: x", "expect: is required (promote or rollback)")]
    [InlineData("name: x\nexpect: maybe", "expect: 'maybe' must be promote or rollback")]
    [InlineData("- a\n- b", "must be a YAML mapping (name:, expect:, ...)")]
    public void Requires_name_and_expect(string text, string expected)
    {
        var error = Assert.Throws<ScenarioFormatException>(() => ScenarioParser.Parse(text, File));
        Assert.Equal($"{File}: {expected}", error.Message);
    }

    [Fact]
    public void Reports_invalid_yaml_with_its_line()
    {
        var error = Assert.Throws<ScenarioFormatException>(() => ScenarioParser.Parse("name: x\nexpect: [promote\n", File));
        Assert.StartsWith($"{File}: line ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loader_reads_folders_in_order_and_rejects_duplicate_names()
    {
        var folder = Directory.CreateTempSubdirectory("canary-scenarios-");
        try
        {
            await System.IO.File.WriteAllTextAsync(Path.Combine(folder.FullName, "b.yaml"), "name: b\nexpect: promote\n");
            await System.IO.File.WriteAllTextAsync(Path.Combine(folder.FullName, "a.yaml"), "name: a\nexpect: rollback\n");
            await System.IO.File.WriteAllTextAsync(Path.Combine(folder.FullName, "notes.txt"), "ignored");
            var scenarios = await ScenarioLoader.LoadAsync([folder.FullName], CancellationToken.None);
            Assert.Equal(["a", "b"], scenarios.Select(s => s.Name));

            var again = Path.Combine(folder.FullName, "c.yaml");
            await System.IO.File.WriteAllTextAsync(again, "name: a\nexpect: promote\n");
            var error = await Assert.ThrowsAsync<ScenarioFormatException>(() => ScenarioLoader.LoadAsync([folder.FullName], CancellationToken.None));
            Assert.StartsWith($"{again}: name: 'a' is already the name of ", error.Message, StringComparison.Ordinal);

            var missing = await Assert.ThrowsAsync<ScenarioFormatException>(() => ScenarioLoader.LoadAsync(["no/such.yaml"], CancellationToken.None));
            Assert.Equal("no/such.yaml: no such file or folder", missing.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Every_shipped_scenario_parses()
    {
        var scenarios = await ScenarioLoader.LoadAsync([ShippedScenarios.Folder], CancellationToken.None);
        Assert.True(scenarios.Count >= 9, $"{scenarios.Count} scenarios");
        Assert.Contains(scenarios, s => s.Changes.Count > 0 && s.Expect == Verdict.Promote);
        Assert.Contains(scenarios, s => s.RequestsPerSecond < 1 && s.Expect == Verdict.Promote);
        Assert.Contains(scenarios, s => s.RequestsPerSecond < 1 && s.Expect == Verdict.Rollback);
    }
}

/// <summary>Where benchmarks/decisions is, from the test's folder.</summary>
internal static class ShippedScenarios
{
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
                {
                    return Path.Combine(dir.FullName, "benchmarks", "decisions");
                }
            }

            throw new DirectoryNotFoundException("benchmarks/decisions not found above " + AppContext.BaseDirectory);
        }
    }
}
