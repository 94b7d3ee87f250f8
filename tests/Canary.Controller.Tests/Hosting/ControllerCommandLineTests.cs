using Canary.Controller.Hosting;
using Canary.Providers.Registry;

namespace Canary.Controller.Tests.Hosting;

public class ControllerCommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Defaults_follow_Flagger()
    {
        var result = ControllerCommandLine.Parse([], NoEnvironment);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var o = result.Options;
        Assert.Equal(2, o.Threadiness);
        Assert.Equal(100, o.KubeApiQps);
        Assert.Equal(250, o.KubeApiBurst);
        Assert.True(o.EnableConfigTracking);
        Assert.False(o.EnableLeaderElection);
        Assert.Equal("kube-system", o.LeaderElectionNamespace);
        Assert.Equal(["app", "name", "app.kubernetes.io/name"], o.SelectorLabels);
        Assert.Equal(LogFormat.Json, o.LogFormat);
    }

    [Fact]
    public void Every_flag_is_applied()
    {
        var result = ControllerCommandLine.Parse(
        [
            "--metrics-server", "http://prom:9090", "--mesh-provider", "gatewayapi:v1", "--namespace", "team-a",
            "--selector-labels", "app, tier", "--threadiness", "8", "--enable-config-tracking=false",
            "--enable-leader-election", "--leader-election-namespace", "canary-system", "--kube-api-qps", "20.5",
            "--kube-api-burst", "40", "--health-port", "9001", "--metrics-port", "9002", "--log-format", "text",
            "--allowed-redirect-hosts", "hooks.example.com, 10.0.0.7:8443", "--include-label-prefix", "app.kubernetes.io,team-",
        ], NoEnvironment);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var o = result.Options;
        Assert.Equal(new Uri("http://prom:9090"), o.MetricsServer);
        Assert.Equal("gatewayapi:v1", o.MeshProvider);
        Assert.Equal("team-a", o.Namespace);
        Assert.Equal(["app", "tier"], o.SelectorLabels);
        Assert.Equal(["hooks.example.com", "10.0.0.7:8443"], o.AllowedRedirectHosts);
        Assert.Equal(["app.kubernetes.io", "team-"], o.IncludeLabelPrefix);
        Assert.Equal(8, o.Threadiness);
        Assert.False(o.EnableConfigTracking);
        Assert.True(o.EnableLeaderElection);
        Assert.Equal("team-a", o.EffectiveLeaseNamespace);
        Assert.Equal(20.5, o.KubeApiQps);
        Assert.Equal(40, o.KubeApiBurst);
        Assert.Equal(9001, o.HealthPort);
        Assert.Equal(9002, o.MetricsPort);
        Assert.Equal(LogFormat.Text, o.LogFormat);
    }

    [Fact]
    public void Environment_fills_in_and_the_command_line_wins()
    {
        var env = new Dictionary<string, string> { ["CANARY_THREADINESS"] = "6", ["CANARY_MESH_PROVIDER"] = "nginx" };
        var result = ControllerCommandLine.Parse(["--threadiness", "3"], env.GetValueOrDefault);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(3, result.Options.Threadiness);
        Assert.Equal("nginx", result.Options.MeshProvider);
    }

    [Theory]
    [InlineData("linkerd")]
    [InlineData("smi:v1alpha2:linkerd")]
    [InlineData("smi:v1alpha3:istio")]
    public void SMI_providers_are_accepted_with_Flaggers_mesh_suffix(string provider)
    {
        var result = ControllerCommandLine.Parse(["--mesh-provider", provider], NoEnvironment);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(provider, result.Options.MeshProvider);
        Assert.NotNull(Rollout.Engine.ControllerSupport.For(provider).CapabilitiesOf(null));
    }

    [Fact]
    public void A_retired_mesh_provider_is_refused_saying_why()
    {
        var result = ControllerCommandLine.Parse(["--mesh-provider", "osm"], NoEnvironment);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.StartsWith("Invalid value for --mesh-provider: 'osm' is not supported: Open Service Mesh is archived", StringComparison.Ordinal));
    }

    [Fact]
    public void A_mesh_provider_that_is_not_implemented_is_refused_with_the_implemented_list()
    {
        var result = ControllerCommandLine.Parse(["--mesh-provider", "consul"], NoEnvironment);

        Assert.False(result.IsValid);
        Assert.Contains($"Invalid value for --mesh-provider: 'consul' is not one of the implemented providers: {string.Join(", ", TrafficProviderRegistry.Default.Names)}.", result.Errors);
    }

    [Theory]
    [InlineData("--threadiness", "abc")]
    [InlineData("--threadiness", "0")]
    [InlineData("--kube-api-qps", "fast")]
    [InlineData("--kube-api-qps", "-1")]
    [InlineData("--kube-api-burst", "0")]
    [InlineData("--health-port", "70000")]
    [InlineData("--metrics-port", "x")]
    [InlineData("--log-format", "xml")]
    [InlineData("--mesh-provider", "nosuchmesh")]
    [InlineData("--metrics-server", "not a url")]
    [InlineData("--namespace", "Bad_Name")]
    [InlineData("--leader-election-namespace", "UPPER")]
    [InlineData("--enable-leader-election", "maybe")]
    [InlineData("--enable-sharding", "sometimes")]
    [InlineData("--selector-labels", ",,")]
    [InlineData("--include-label-prefix", "app kubernetes")]
    [InlineData("--allowed-redirect-hosts", "http://hooks.example.com/")]
    [InlineData("--kubeconfig", "/no/such/kubeconfig")]
    public void A_bad_value_is_reported_naming_the_flag(string flag, string value)
    {
        var result = ControllerCommandLine.Parse([$"{flag}={value}"], NoEnvironment);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Contains(flag, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_environment_value_names_the_flag_and_the_variable()
    {
        var result = ControllerCommandLine.Parse([], name => name == "CANARY_THREADINESS" ? "lots" : null);

        var error = Assert.Single(result.Errors);
        Assert.Contains("--threadiness", error, StringComparison.Ordinal);
        Assert.Contains("CANARY_THREADINESS", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sharding_is_a_flag_and_refuses_leader_election_beside_it()
    {
        var sharded = ControllerCommandLine.Parse(["--enable-sharding"], NoEnvironment);
        Assert.True(sharded.IsValid, string.Join("; ", sharded.Errors));
        Assert.True(sharded.Options.EnableSharding);

        var both = ControllerCommandLine.Parse(["--enable-sharding", "--enable-leader-election"], NoEnvironment);
        var error = Assert.Single(both.Errors);
        Assert.Contains("--enable-sharding", error, StringComparison.Ordinal);
        Assert.Contains("--enable-leader-election", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_flag_is_an_error()
    {
        var result = ControllerCommandLine.Parse(["--no-such-flag"], NoEnvironment);
        Assert.Contains(result.Errors, e => e.Contains("--no-such-flag", StringComparison.Ordinal));
    }

    [Fact]
    public void Help_lists_every_flag()
    {
        var result = ControllerCommandLine.Parse(["--help"], NoEnvironment);

        Assert.NotNull(result.HelpText);
        foreach (var flag in ControllerFlags.All)
        {
            Assert.Contains(flag.Name, result.HelpText, StringComparison.Ordinal);
        }
    }
}
