using Canary.LoadTester.Hosting;
using Canary.LoadTester.Tests.Infrastructure;

namespace Canary.LoadTester.Tests.Server;

/// <summary>
/// Each payload below would create a file if a shell ran it (as Flagger's tester does with <c>sh -c</c>). The tester
/// refuses each with 400, starts no run, and the file never appears; only a program named in --allow-commands runs,
/// directly, its arguments taken literally.
/// </summary>
public sealed class NoShellTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("canary-loadtester-noshell-");

    private string F => Path.Combine(_dir.FullName, "pwned");

    public void Dispose() => _dir.Delete(recursive: true);

    private IEnumerable<(string Type, string Cmd)> WouldCreateAFile() =>
    [
        ("cmd", $"touch {F}"),
        ("bash", $"touch {F}"),
        ("", $"touch {F}"),
        ("cmd", $"sh -c 'touch {F}'"),
        ("bash", $"bash -c \"touch {F}\""),
        ("cmd", $"/usr/bin/touch {F}"),
        ("cmd", $"hey -n 1 -c 1 http://127.0.0.1:9/; touch {F}"),
        ("cmd", $"hey -n 1 -c 1 http://127.0.0.1:9/ && touch {F}"),
        ("cmd", $"hey -n 1 -c 1 http://127.0.0.1:9/ || touch {F}"),
        ("cmd", $"hey -n 1 -c 1 http://127.0.0.1:9/ | tee {F}"),
        ("cmd", $"hey -n 1 -c 1 http://127.0.0.1:9/ > {F}"),
        ("cmd", $"hey -n 1 -c 1 http://127.0.0.1:9/ >> {F}"),
        ("cmd", $"hey -n 1 -c 1 http://127.0.0.1:9/$(touch {F})"),
        ("cmd", $"hey -n 1 -c 1 \"http://127.0.0.1:9/$(touch {F})\""),
        ("cmd", $"hey -n 1 -c 1 http://127.0.0.1:9/`touch {F}`"),
        ("cmd", $"hey -n 1 -c 1 http://127.0.0.1:9/\ntouch {F}"),
        ("cmd", $"(touch {F})"),
        ("cmd", $"X=1 touch {F}"),
        ("helm", $"test podinfo; touch {F}"),
        ("helmv3", $"test podinfo $(touch {F})"),
        ("kubectl", $"get pods; touch {F}"),
        ("concord", $"touch {F}"),
        ("ngrinder", $"touch {F}"),
        ("touch", F),
    ];

    [Fact]
    public async Task Refused_commands_never_execute_anything()
    {
        await using var tester = await Tester.StartAsync();

        foreach (var (type, cmd) in WouldCreateAFile())
        {
            var metadata = new Dictionary<string, string> { ["cmd"] = cmd, ["type"] = type, ["logCmdOutput"] = "true" };
            var (status, body) = await tester.PostAsync("/", Tester.Payload(metadata));

            Assert.True(status == 400, $"{type}: {cmd} answered {status} {body}");
        }

        Assert.Equal(0, tester.Runner.TotalStarted);
        Assert.False(File.Exists(F));
        Assert.Empty(_dir.EnumerateFileSystemInfos());
    }

    [Fact]
    public async Task With_touch_allowed_only_the_plain_touch_runs_and_its_arguments_are_literal()
    {
        var options = LoadTesterCommandLine.Parse(["--allow-commands=touch"]).Options;
        await using var tester = await Tester.StartAsync(options);

        foreach (var (type, cmd) in WouldCreateAFile().Where(c => !c.Cmd.StartsWith("touch ", StringComparison.Ordinal)))
        {
            var (status, body) = await tester.PostAsync("/", Tester.Payload(new Dictionary<string, string> { ["cmd"] = cmd, ["type"] = type }));
            Assert.True(status == 400, $"{type}: {cmd} answered {status} {body}");
        }

        Assert.Empty(_dir.EnumerateFileSystemInfos());
        var literal = Path.Combine(_dir.FullName, "a;b $(c) `d` |e");
        var (ran, answer) = await tester.PostAsync("/", Tester.Payload(new Dictionary<string, string>
        {
            ["type"] = "bash",
            ["cmd"] = $"touch '{literal}' {F}",
        }));

        Assert.Equal((200, ""), (ran, answer));
        Assert.Equal(["a;b $(c) `d` |e", "pwned"], _dir.EnumerateFiles().Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, tester.Runner.TotalStarted);
    }

    [Fact]
    public async Task A_background_allowed_command_runs_once_directly()
    {
        var options = LoadTesterCommandLine.Parse(["-allow-commands", "touch"]).Options;
        await using var tester = await Tester.StartAsync(options);

        var (status, _) = await tester.PostAsync("/", Tester.Payload(new Dictionary<string, string> { ["cmd"] = $"touch {F}" }));

        Assert.Equal(202, status);
        await FakeClockDriver.UntilAsync(() => File.Exists(F) && tester.Runner.Running == 0, "touch to run");
    }
}
