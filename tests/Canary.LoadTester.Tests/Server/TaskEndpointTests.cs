using Canary.LoadTester.Hosting;
using Canary.LoadTester.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Canary.LoadTester.Tests.Server;

/// <summary>Flagger's task endpoint: its payloads unchanged, answered with its status codes; hey generated natively.</summary>
public sealed class TaskEndpointTests
{
    private static Dictionary<string, string> Cmd(string cmd, string? type = null)
    {
        var metadata = new Dictionary<string, string> { ["cmd"] = cmd };
        if (type is not null)
        {
            metadata["type"] = type;
        }

        return metadata;
    }

    public static TheoryData<string, int, string> Refusals => new()
    {
        { Tester.Payload(null), 400, "metadata not found in payload" },
        { Tester.Payload(new Dictionary<string, string>()), 400, "metadata not found in payload" },
        { Tester.Payload(new Dictionary<string, string> { ["type"] = "cmd" }), 400, "cmd not found in metadata" },
        { Tester.Payload(Cmd("x", "jmeter")), 400, "unknown task type jmeter" },
        { Tester.Payload(Cmd("x", "concord")), 400, "task type concord is not implemented by canary-loadtester" },
        { Tester.Payload(Cmd("x", "ngrinder")), 400, "task type ngrinder is not implemented by canary-loadtester" },
        { Tester.Payload(Cmd("ghz -z 1m -q 10 -c 2 --insecure podinfo-canary.test:9999")), 400, "ghz (gRPC load) is not implemented by canary-loadtester" },
        { Tester.Payload(Cmd("curl -sd 'test' http://podinfo-canary.test:9898/token")), 400, "command curl is not allowed" },
        { Tester.Payload(Cmd("curl -s http://podinfo-canary.test:9898/", "bash")), 400, "--allow-commands=curl" },
        { Tester.Payload(Cmd("test podinfo -n test", "helm")), 400, "task type helm runs helm, which is not allowed: start canary-loadtester with --allow-commands=helm" },
        { Tester.Payload(Cmd("test podinfo -n test", "helmv3")), 400, "--allow-commands=helm" },
        { Tester.Payload(Cmd("get pods", "kubectl")), 400, "--allow-commands=kubectl" },
        { Tester.Payload(Cmd("hey -z 1 http://podinfo-canary.test:9898/")), 400, "hey: invalid value \"1\" for flag -z" },
        { Tester.Payload(Cmd("hey -D /etc/passwd http://podinfo-canary.test:9898/")), 400, "-D (request body from a file) is refused" },
        { Tester.Payload(Cmd("hey http://podinfo-canary.test:9898/ | grep 200")), 400, "shell syntax is not supported: '|'" },
        { "{\"name\":\"podinfo\",\"namespace\":\"test\",\"metadata\":{\"cmd\":5}}", 400, "decoding the request body failed" },
        { "not json", 400, "decoding the request body failed" },
        { "", 400, "decoding the request body failed" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_tasks_answer_400_with_the_reason_and_start_nothing(string payload, int status, string message)
    {
        await using var tester = await Tester.StartAsync();

        var (actualStatus, body) = await tester.PostAsync("/", payload);

        Assert.Equal(status, actualStatus);
        Assert.Contains(message, body, StringComparison.Ordinal);
        Assert.Equal(0, tester.Runner.TotalStarted);
    }

    [Fact]
    public async Task A_cmd_hey_task_answers_202_at_once_and_its_load_reaches_the_target()
    {
        await using var target = await LoopbackServer.StartAsync(ServerReply.Ok);
        await using var tester = await Tester.StartAsync();

        var (status, body) = await tester.PostAsync("/", Tester.Payload(Cmd($"hey -n 10 -c 2 {target.Url("canary")}")));

        Assert.Equal((202, ""), (status, body));
        await FakeClockDriver.UntilAsync(() => tester.Runner.TotalStarted == 1 && tester.Runner.Running == 0, "the run to end");
        Assert.Equal(10, target.Requests.Count);
        Assert.All(target.Requests, r => Assert.Equal("/canary", r.Path));
    }

    [Fact]
    public async Task The_same_cmd_of_the_same_canary_is_not_started_again_while_it_runs()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var target = await LoopbackServer.StartAsync(async (context, _, _, ct) =>
        {
            await release.Task.WaitAsync(ct);
            await context.Response.WriteAsync("ok", ct);
        });
        await using var tester = await Tester.StartAsync();
        var payload = Tester.Payload(Cmd($"hey -n 1 -c 1 {target.Url("load")}"));

        Assert.Equal(202, (await tester.PostAsync("/", payload)).Status);
        await FakeClockDriver.UntilAsync(() => target.Requests.Count == 1, "the first run's request");
        Assert.Equal(202, (await tester.PostAsync("/", payload)).Status); // accepted, skipped: the same command is running
        Assert.Equal(202, (await tester.PostAsync("/other/path", payload)).Status);
        Assert.Equal(202, (await tester.PostAsync("/", Tester.Payload(Cmd($"hey -n 1 -c 1 {target.Url("load")}"), "other", "test"))).Status);
        await FakeClockDriver.UntilAsync(() => target.Requests.Count == 2, "the other canary's request");

        Assert.Equal(2, tester.Runner.TotalStarted); // podinfo.test once, other.test once
        Assert.Equal(2, tester.Runner.Running);
        release.SetResult();
        await FakeClockDriver.UntilAsync(() => tester.Runner.Running == 0, "both runs to end");

        Assert.Equal(202, (await tester.PostAsync("/", payload)).Status); // finished, so it runs again
        await FakeClockDriver.UntilAsync(() => target.Requests.Count == 3, "the second run of podinfo.test");
        Assert.Equal(3, tester.Runner.TotalStarted);
    }

    [Fact]
    public async Task A_bash_hey_task_blocks_and_answers_200_with_heys_summary()
    {
        await using var target = await LoopbackServer.StartAsync((_, n) => new ServerReply(n % 5 == 0 ? 500 : 200, "ok"));
        await using var tester = await Tester.StartAsync();

        var (status, body) = await tester.PostAsync("/", Tester.Payload(Cmd($"hey -n 10 -c 2 -m POST -d 'x' {target.Url("api")}", "bash")));

        Assert.Equal(200, status);
        Assert.Equal(10, target.Requests.Count);
        Assert.Contains("Summary:", body, StringComparison.Ordinal);
        Assert.Contains("Requests:\t10\n", body, StringComparison.Ordinal);
        Assert.Contains("Errors:\t2 ", body, StringComparison.Ordinal);
        Assert.Contains("[200]\t8 responses", body, StringComparison.Ordinal);
        Assert.Contains("[500]\t2 responses", body, StringComparison.Ordinal);
        Assert.Contains("99% in ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blocking_run_longer_than_the_timeout_is_stopped_and_answers_500()
    {
        var clock = new FakeTimeProvider();
        await using var target = await LoopbackServer.StartAsync(ServerReply.Ok);
        await using var tester = await Tester.StartAsync(
            new LoadTesterOptions { Timeout = TimeSpan.FromSeconds(10) }, services => services.AddSingleton<TimeProvider>(clock));

        var answer = tester.PostAsync("/", Tester.Payload(Cmd($"hey -z 1h -q 1 -c 1 {target.Url("slow")}", "bash")));
        await FakeClockDriver.UntilAsync(() => target.Requests.Count == 1, "the first request");
        clock.Advance(TimeSpan.FromSeconds(10));
        var (status, body) = await answer;

        Assert.Equal(500, status);
        Assert.StartsWith($"command hey -z 1h -q 1 -c 1 {target.Url("slow")} failed: timed out after 10s (--timeout)", body, StringComparison.Ordinal);
        Assert.Contains("Interrupted:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Namespace_regexp_forbids_tasks_of_canaries_outside_it_as_gos_unanchored_match()
    {
        await using var target = await LoopbackServer.StartAsync(ServerReply.Ok);
        var options = LoadTesterCommandLine.Parse(["-namespace-regexp=test"]).Options;
        await using var tester = await Tester.StartAsync(options);
        var cmd = Cmd($"hey -n 1 -c 1 {target.Url("x")}", "bash");

        Assert.Equal((403, "Forbidden"), await tester.PostAsync("/", Tester.Payload(cmd, "podinfo", "prod")));
        Assert.Equal(200, (await tester.PostAsync("/", Tester.Payload(cmd, "podinfo", "my-test-ns"))).Status);
        Assert.Equal(1, tester.Runner.TotalStarted);
    }

    [Fact]
    public async Task Metrics_count_generated_requests_by_code_errors_latency_and_runs()
    {
        await using var target = await LoopbackServer.StartAsync((_, n) => new ServerReply(n <= 3 ? 503 : 200));
        await using var tester = await Tester.StartAsync();

        Assert.Equal(200, (await tester.PostAsync("/", Tester.Payload(Cmd($"hey -n 10 -c 1 {target.Url("m")}", "bash")))).Status);
        Assert.Equal(400, (await tester.PostAsync("/", Tester.Payload(Cmd("curl http://x/")))).Status);
        Assert.Equal(403, (await tester.PostAsync("/gate/check", Tester.Payload(null))).Status);
        var (status, metrics) = await tester.GetAsync("/metrics");

        Assert.Equal(200, status);
        var lines = metrics.Split('\n').ToHashSet();
        Assert.Contains("canary_loadtester_requests_total{canary=\"podinfo.test\",code=\"200\"} 7", lines);
        Assert.Contains("canary_loadtester_requests_total{canary=\"podinfo.test\",code=\"503\"} 3", lines);
        Assert.Contains("canary_loadtester_errors_total{canary=\"podinfo.test\",kind=\"status\"} 3", lines);
        Assert.Contains("canary_loadtester_request_duration_seconds_count{canary=\"podinfo.test\"} 10", lines);
        Assert.Contains("canary_loadtester_runs_started_total{mode=\"blocking\",type=\"hey\"} 1", lines);
        Assert.Contains("canary_loadtester_runs_finished_total{result=\"ok\",type=\"hey\"} 1", lines);
        Assert.Contains("canary_loadtester_runs_refused_total{reason=\"command\"} 1", lines);
        Assert.Contains("canary_loadtester_gate_checks_total{gate=\"gate\",result=\"closed\"} 1", lines);
        Assert.Contains(lines, l => l.StartsWith("canary_loadtester_runs_running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Allowed_programs_run_directly_and_answer_their_output_with_returnCmdOutput()
    {
        var options = LoadTesterCommandLine.Parse(["--allow-commands=echo"]).Options;
        await using var tester = await Tester.StartAsync(options);
        var metadata = Cmd("echo 'a;b  c' \"d|e\" f\\&g", "bash");
        metadata["returnCmdOutput"] = "true";

        var (status, body) = await tester.PostAsync("/", Tester.Payload(metadata));

        Assert.Equal((200, "a;b  c d|e f&g\n"), (status, body));
        metadata.Remove("returnCmdOutput");
        Assert.Equal((200, ""), await tester.PostAsync("/", Tester.Payload(metadata)));
    }

    [Fact]
    public async Task A_failing_allowed_program_answers_500_with_its_output_and_exit_status()
    {
        var options = LoadTesterCommandLine.Parse(["--allow-commands=ls"]).Options;
        await using var tester = await Tester.StartAsync(options);

        var (status, body) = await tester.PostAsync("/", Tester.Payload(Cmd("ls /no/such/dir", "bash")));

        Assert.Equal(500, status);
        Assert.StartsWith("command ls /no/such/dir failed: ", body, StringComparison.Ordinal);
        Assert.EndsWith(": exit status 2", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_allowed_program_still_running_at_the_timeout_is_killed_and_answers_500()
    {
        var options = LoadTesterCommandLine.Parse(["--allow-commands=sleep", "--timeout=300ms"]).Options;
        await using var tester = await Tester.StartAsync(options);

        var (status, body) = await tester.PostAsync("/", Tester.Payload(Cmd("sleep 60", "bash")));

        Assert.Equal(500, status);
        Assert.Contains("command sleep 60 failed: timed out after", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_paths_are_the_task_endpoint_as_gos_catch_all_route()
    {
        await using var target = await LoopbackServer.StartAsync(ServerReply.Ok);
        await using var tester = await Tester.StartAsync();

        var (status, _) = await tester.PostAsync("/gate/check/", Tester.Payload(Cmd($"hey -n 2 -c 1 {target.Url("p")}", "bash")));

        Assert.Equal(200, status);
        Assert.Equal(2, target.Requests.Count);
    }
}
