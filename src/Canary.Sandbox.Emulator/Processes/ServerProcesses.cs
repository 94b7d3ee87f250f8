using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Canary.Sandbox.Processes;

/// <summary>
/// The child processes of one real server the sandbox runs (InfluxDB, Graphite's carbon and web): started with their
/// output kept (the last lines, for error messages), stopped together with their folder on dispose.
/// </summary>
internal sealed class ServerProcesses(string directory) : IAsyncDisposable
{
    private const int KeptLogLines = 40;
    private readonly List<Process> _running = [];
    private readonly ConcurrentQueue<string> _log = new();

    /// <summary>The last lines the processes wrote.</summary>
    public string Log => string.Join(Environment.NewLine, _log);

    /// <summary>A long-running process that has exited, if any (a server that died while starting).</summary>
    public Process? Exited => _running.FirstOrDefault(p => p.HasExited);

    /// <summary>A free port on 127.0.0.1 for a server to listen on.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="binary"/> in the folder; <paramref name="longRunning"/> ones are watched and stopped on dispose.</summary>
    public Process Start(string binary, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, bool longRunning = true)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (longRunning)
        {
            _running.Add(process);
        }

        return process;
    }

    /// <summary>Kills every long-running process and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var process in _running)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned up by the OS eventually.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > KeptLogLines && _log.TryDequeue(out _))
        {
        }
    }
}
