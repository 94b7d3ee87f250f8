using Canary.LoadTester.Hosting;
using Microsoft.Extensions.Logging;

namespace Canary.LoadTester.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Defaults_are_flaggers_loadtester()
    {
        var parsed = LoadTesterCommandLine.Parse([]);

        Assert.True(parsed.IsValid);
        Assert.Equal(9090, parsed.Options.Port);
        Assert.Equal(TimeSpan.FromHours(1), parsed.Options.Timeout);
        Assert.Null(parsed.Options.NamespaceRegexp);
        Assert.True(parsed.Options.JsonLogs);
        Assert.Empty(parsed.Options.AllowCommands);
        Assert.True(parsed.Options.Authorize("anything"));
    }

    [Fact]
    public void Flaggers_manifest_arguments_are_understood()
    {
        var parsed = LoadTesterCommandLine.Parse(["-port=8080", "-log-level=info", "-timeout=1h", "-zap-replace-globals"]);

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(8080, parsed.Options.Port);
        Assert.Equal(LogLevel.Information, parsed.Options.LogLevel);
    }

    [Fact]
    public void Double_dash_separate_values_and_repeated_allow_lists()
    {
        var parsed = LoadTesterCommandLine.Parse([
            "--port", "8081", "--timeout", "90s", "--namespace-regexp", "^(prod|staging)-", "--zap-encoding=console",
            "--log-level", "debug", "--allow-commands=helm, kubectl", "--allow-commands", "curl"]);

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(8081, parsed.Options.Port);
        Assert.Equal(TimeSpan.FromSeconds(90), parsed.Options.Timeout);
        Assert.False(parsed.Options.JsonLogs);
        Assert.Equal(LogLevel.Debug, parsed.Options.LogLevel);
        Assert.Equal(["curl", "helm", "kubectl"], parsed.Options.AllowCommands.Order(StringComparer.Ordinal));
        Assert.True(parsed.Options.Authorize("prod-eu"));
        Assert.False(parsed.Options.Authorize("test"));
    }

    [Fact]
    public void A_proxy_is_taken_for_hey_requests_that_name_none()
    {
        var parsed = LoadTesterCommandLine.Parse(["--proxy=http://127.0.0.1:18081"]);

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(new Uri("http://127.0.0.1:18081"), parsed.Options.Proxy);
        Assert.Null(LoadTesterCommandLine.Parse([]).Options.Proxy);
    }

    [Theory]
    [InlineData("--port=http", "invalid value \"http\" for flag -port")]
    [InlineData("--port=70000", "invalid value \"70000\" for flag -port")]
    [InlineData("--timeout=10", "invalid value \"10\" for flag -timeout")]
    [InlineData("--namespace-regexp=(", "invalid value \"(\" for flag -namespace-regexp")]
    [InlineData("--log-level=loud", "invalid value \"loud\" for flag -log-level")]
    [InlineData("--zap-encoding=xml", "invalid value \"xml\" for flag -zap-encoding")]
    [InlineData("--allow-commands=a b", "is not a program name")]
    [InlineData("--proxy=socks5://127.0.0.1:1080", "invalid value \"socks5://127.0.0.1:1080\" for flag -proxy")]
    [InlineData("--metrics-port=1", "flag provided but not defined: -metrics-port")]
    [InlineData("--port", "flag needs an argument: -port")]
    [InlineData("serve", "unexpected argument 'serve'")]
    public void Bad_flags_are_errors(string arg, string message)
    {
        var parsed = LoadTesterCommandLine.Parse([arg]);

        Assert.False(parsed.IsValid);
        Assert.Contains(parsed.Errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public void Help_lists_every_flag(string arg)
    {
        var help = LoadTesterCommandLine.Parse([arg]).HelpText;

        Assert.NotNull(help);
        foreach (var flag in new[] { "--port", "--timeout", "--namespace-regexp", "--log-level", "--zap-encoding", "--allow-commands", "--proxy" })
        {
            Assert.Contains(flag, help, StringComparison.Ordinal);
        }
    }
}
