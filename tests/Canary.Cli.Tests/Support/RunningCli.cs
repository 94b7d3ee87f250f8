using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Canary.Cli.Tests.Support;

/// <summary>
/// The built <c>kubectl-canary</c> running in the background (e.g. <c>watch</c>): its stdout read line by line as it
/// comes, so a test waits for each line it expects before it changes the cluster again.
/// </summary>
public sealed class RunningCli : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];
    private readonly Task _stdout;
    private readonly Task<string> _stderr;

    private RunningCli(Process process)
    {
        _process = process;
        _stdout = Task.Run(ReadStdoutAsync);
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Every stdout line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    public static RunningCli Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Cli.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_ROOT"] = Cli.DotnetRoot;
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start kubectl-canary");
        process.StandardInput.Close();
        return new RunningCli(process);
    }

    /// <summary>Waits for the next stdout line matching <paramref name="match"/> (lines before it are passed over) and returns it.</summary>
    public async Task<string> NextLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var stop = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(stop.Token);
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException(
                $"no matching line (the process {(_process.HasExited ? "exited" : "is still running")});\nstdout:\n{string.Join('\n', Lines)}\nstderr:\n{(_process.HasExited ? await _stderr : "")}");
        }
    }

    /// <summary>Waits for the process to end and returns what it printed.</summary>
    public async Task<CliRun> ExitAsync(TimeSpan? timeout = null)
    {
        using var stop = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"the process did not exit;\nstdout:\n{string.Join('\n', Lines)}");
        }

        await _stdout;
        return new CliRun(_process.ExitCode, string.Join('\n', Lines), await _stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task ReadStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_all)
            {
                _all.Add(line);
            }

            await _lines.Writer.WriteAsync(line);
        }

        _lines.Writer.Complete();
    }
}
