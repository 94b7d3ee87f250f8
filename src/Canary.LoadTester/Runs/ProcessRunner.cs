using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Canary.LoadTester.Runs;

/// <summary>
/// Runs an allowed program directly (execve with an argument vector: <see cref="ProcessStartInfo.ArgumentList"/>, never
/// a shell), standard input closed, standard output and error captured together (the first 1 MiB), killed with its
/// children when the timeout passes or the run is cancelled.
/// </summary>
public static class ProcessRunner
{
    private const int MaxOutputChars = 1 << 20;

    /// <summary>Runs <paramref name="arguments"/> (<c>[0]</c> the executable, found on PATH when bare).</summary>
    public static async Task<RunResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var command = string.Join(' ', arguments);
        var start = new ProcessStartInfo(arguments[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                if (output.Length < MaxOutputChars)
                {
                    output.Append(line).Append('\n');
                }
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new RunResult(false, "", $"command {command} failed: {e.Message}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            var why = cancellationToken.IsCancellationRequested ? "the tester is stopping" : $"timed out after {timeout.ToString("c", CultureInfo.InvariantCulture)} (--timeout)";
            return new RunResult(false, Text(output), $"command {command} failed: {why}: killed");
        }

        var text = Text(output);
        return process.ExitCode == 0
            ? new RunResult(true, text, null)
            : new RunResult(false, text, $"command {command} failed: {text.TrimEnd()}: exit status {process.ExitCode}");
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}

/// <summary>How a run ended: <see cref="Ok"/>, its output (hey's summary, or what the program printed) and the error when not ok.</summary>
public sealed record RunResult(bool Ok, string Output, string? Error)
{
    /// <summary>hey's summary, for a native hey run.</summary>
    public Hey.LoadSummary? Summary { get; init; }
}
