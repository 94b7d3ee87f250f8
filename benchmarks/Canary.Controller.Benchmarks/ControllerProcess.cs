using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;

namespace Canary.Controller.Benchmarks;

/// <summary>One trace record of a controller process (see <see cref="ControllerChild"/>): R reconcile, T engine tick, A analysis.</summary>
internal readonly record struct TraceRecord(char Kind, string Key, long Start, long End);

/// <summary>
/// A controller host in a child process of this benchmark (the <c>controller</c> mode), so the sandbox, Prometheus's
/// client and the measuring code are not in its memory or CPU figures. Several can run against one API server.
/// </summary>
internal sealed class ControllerProcess : IAsyncDisposable
{
    private const int KeptErrorLines = 200;
    private readonly Process _process;
    private readonly Channel<string> _replies = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<string> _errors = new();
    private int _errorLines;

    private ControllerProcess(Process process, int index)
    {
        _process = process;
        Index = index;
    }

    public int Index { get; }

    /// <summary>Trace records received while tracing is on.</summary>
    public ConcurrentQueue<TraceRecord> Trace { get; } = new();

    /// <summary>Stopwatch timestamp just before the host started (after the process itself and the host were built).</summary>
    public long StartingAt { get; private set; }

    /// <summary>Lines the controller logged on stderr (warnings and errors), counted and the last ones kept.</summary>
    public int ErrorLines => _errorLines;

    public IReadOnlyCollection<string> LastErrors => _errors;

    /// <summary>User + system CPU time of the process so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ControllerProcess> StartAsync(HostSettings settings, int index, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ControllerProcess).Assembly.Location);
        }

        start.ArgumentList.Add("controller");
        start.ArgumentList.Add(JsonSerializer.Serialize(settings));
        var process = Process.Start(start) ?? throw new InvalidOperationException("the controller process did not start");
        var controller = new ControllerProcess(process, index);
        process.OutputDataReceived += (_, e) => controller.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => controller.OnError(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        controller.StartingAt = Timestamp(await controller.ReplyAsync("starting", TimeSpan.FromMinutes(2), cancellationToken));
        return controller;
    }

    /// <summary>Waits for every informer to have synced; the Stopwatch timestamp when they had.</summary>
    public async Task<long> WaitSyncedAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Timestamp(await ReplyAsync("synced", timeout, cancellationToken));

    /// <summary>Working set and managed heap after a forced, compacting full GC in the controller process.</summary>
    public async Task<(long WorkingSet, long Heap)> MemoryAsync(CancellationToken cancellationToken)
    {
        await SendAsync("mem");
        var parts = (await ReplyAsync("mem", TimeSpan.FromSeconds(60), cancellationToken)).Split(' ');
        return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    public async Task TraceAsync(bool on, CancellationToken cancellationToken)
    {
        await SendAsync(on ? "trace on" : "trace off");
        await ReplyAsync("ok", TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Graceful stop (the host drains its workers); killed when it does not exit in time.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await SendAsync("stop");
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static long Timestamp(string reply) => long.Parse(reply.Split(' ')[1], CultureInfo.InvariantCulture);

    private async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    private async Task<string> ReplyAsync(string expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var reply = await _replies.Reader.ReadAsync(deadline.Token);
            return reply.StartsWith(expected, StringComparison.Ordinal)
                ? reply
                : throw new InvalidOperationException($"controller {Index} answered '{reply}', expected '{expected}'");
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"controller {Index} did not answer '{expected}' within {timeout} (exited: {_process.HasExited}); last log lines:{Environment.NewLine}{string.Join(Environment.NewLine, _errors.TakeLast(20))}", e);
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            _replies.Writer.TryComplete();
            return;
        }

        if (line.StartsWith('='))
        {
            _replies.Writer.TryWrite(line[1..]);
            return;
        }

        var parts = line.Split(' ');
        if (parts.Length == 4 && parts[0].Length == 1)
        {
            Trace.Enqueue(new TraceRecord(parts[0][0], parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture)));
        }
        else
        {
            OnError(line);
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _errorLines);
        _errors.Enqueue(line);
        while (_errors.Count > KeptErrorLines && _errors.TryDequeue(out _))
        {
        }
    }
}
