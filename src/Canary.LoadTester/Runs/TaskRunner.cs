using System.Collections.Concurrent;
using Canary.LoadTester.Commands;
using Canary.LoadTester.Hey;
using Canary.LoadTester.Hosting;
using Canary.LoadTester.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Canary.LoadTester.Runs;

/// <summary>
/// Runs tasks as Flagger's TaskRunner does: a background task (type <c>cmd</c>) starts at once unless the same command
/// of the same canary is still running (then it is skipped: one load per command, as Flagger's hash of canary + command),
/// a blocking one (bash, helm, kubectl) runs while the caller waits; both are stopped after <c>--timeout</c>. Each run
/// ends with a log line (and its whole output with <c>logCmdOutput</c>). Stopping the host cancels the runs in progress.
/// </summary>
public sealed partial class TaskRunner : IHostedService, IDisposable
{
    private readonly LoadTesterOptions _options;
    private readonly TimeProvider _clock;
    private readonly LoadTesterMetrics _metrics;
    private readonly ILogger<TaskRunner> _logger;
    private readonly Func<HeyOptions, HttpMessageHandler>? _handlerFactory;
    private readonly ConcurrentDictionary<string, Task> _background = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _blocking;
    private long _started;

    /// <summary>A runner with <paramref name="options"/>' exec timeout; <paramref name="handlerFactory"/> replaces hey's connection pool (tests).</summary>
    public TaskRunner(LoadTesterOptions options, TimeProvider clock, LoadTesterMetrics metrics, ILogger<TaskRunner> logger, Func<HeyOptions, HttpMessageHandler>? handlerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options;
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
        _handlerFactory = handlerFactory;
        metrics.TrackRunning(() => Running);
    }

    /// <summary>Runs in progress, background and blocking.</summary>
    public int Running => _background.Count + Volatile.Read(ref _blocking);

    /// <summary>Runs started since the start (Flagger's GetTotalExecs).</summary>
    public long TotalStarted => Interlocked.Read(ref _started);

    /// <summary>Starts <paramref name="plan"/> in the background; false when the same command of the same canary is still running.</summary>
    public bool TryStartBackground(TaskPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var key = plan.Canary + "\n" + plan.Command;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = RunBackgroundAsync(gate.Task, key, plan);
        if (!_background.TryAdd(key, run))
        {
            gate.SetCanceled();
            _metrics.RunsSkipped.Add(1);
            LogSkipped(plan.Canary, plan.Command);
            return false;
        }

        gate.SetResult();
        return true;
    }

    /// <summary>Runs <paramref name="plan"/> and waits for it.</summary>
    public async Task<RunResult> RunBlockingAsync(TaskPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Interlocked.Increment(ref _blocking);
        try
        {
            return await ExecuteAsync(plan, "blocking");
        }
        finally
        {
            Interlocked.Decrement(ref _blocking);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_background.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunBackgroundAsync(Task admitted, string key, TaskPlan plan)
    {
        try
        {
            await admitted;
        }
        catch (OperationCanceledException)
        {
            return; // a duplicate: never started
        }

        try
        {
            await ExecuteAsync(plan, "background");
        }
        finally
        {
            _background.TryRemove(key, out _);
        }
    }

    private async Task<RunResult> ExecuteAsync(TaskPlan plan, string mode)
    {
        var type = plan is HeyPlan ? "hey" : "process";
        Interlocked.Increment(ref _started);
        _metrics.RunsStarted.Add(1, new("type", type), new("mode", mode));
        LogStarting(plan.Canary, plan.Command);
        RunResult result;
        try
        {
            result = plan switch
            {
                HeyPlan hey => await RunHeyAsync(hey),
                ProcessPlan process => await ProcessRunner.RunAsync(process.Arguments, _options.Timeout, _stopping.Token),
                _ => throw new InvalidOperationException($"{plan.GetType().Name} is not runnable"),
            };
        }
#pragma warning disable CA1031 // A run that throws is a failed run, logged; the tester goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = new RunResult(false, "", $"command {plan.Command} failed: {e.Message}");
        }

        _metrics.RunsFinished.Add(1, new("type", type), new("result", result.Ok ? "ok" : "failed"));
        if (result.Ok)
        {
            LogFinished(plan.Canary, plan.Command, Summarize(result));
        }
        else
        {
            LogFailed(plan.Canary, result.Error ?? plan.Command);
        }

        if (plan.LogOutput && result.Output.Length > 0)
        {
            LogOutput(plan.Canary, result.Output);
        }

        return result;
    }

    private async Task<RunResult> RunHeyAsync(HeyPlan plan)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _clock);
        using var token = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        var hey = plan.Options.Proxy is null && _options.Proxy is { } proxy ? plan.Options with { Proxy = proxy } : plan.Options;
        var run = new LoadRun(hey, _clock, _metrics.ForCanary(plan.Canary), _handlerFactory);
        var summary = await run.RunAsync(token.Token);
        var text = summary.ToText();
        if (!summary.Interrupted)
        {
            return new RunResult(true, text, null) { Summary = summary };
        }

        var why = _stopping.IsCancellationRequested ? "the tester is stopping" : $"timed out after {GoDuration.Format(_options.Timeout)} (--timeout)";
        return new RunResult(false, text, $"command {plan.Command} failed: {why}; {summary.ToLine()}") { Summary = summary };
    }

    private static string Summarize(RunResult result) =>
        result.Summary?.ToLine() ?? $"{result.Output.Length} characters of output";

    [LoggerMessage(1001, LogLevel.Information, "{Canary} task starting {Command}")]
    private partial void LogStarting(string canary, string command);

    [LoggerMessage(1002, LogLevel.Information, "{Canary} command skipped {Command} is already running")]
    private partial void LogSkipped(string canary, string command);

    [LoggerMessage(1003, LogLevel.Information, "{Canary} command finished {Command}: {Summary}")]
    private partial void LogFinished(string canary, string command, string summary);

    [LoggerMessage(1004, LogLevel.Error, "{Canary} {Error}")]
    private partial void LogFailed(string canary, string error);

    [LoggerMessage(1005, LogLevel.Information, "{Canary} output:\n{Output}")]
    private partial void LogOutput(string canary, string output);
}
