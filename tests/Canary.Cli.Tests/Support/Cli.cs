using System.Diagnostics;
using System.Text;

namespace Canary.Cli.Tests.Support;

/// <summary>What one run of the built <c>kubectl-canary</c> printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the built <c>kubectl-canary</c> executable (copied next to the tests) as a user would.</summary>
public static class Cli
{
    /// <summary>The folder holding the built executable: put it on PATH and kubectl finds the plugin.</summary>
    public static string Folder => AppContext.BaseDirectory;

    /// <summary>Path of the built executable.</summary>
    public static string Executable => Path.Combine(Folder, "kubectl-canary");

    /// <summary>The runtime these tests run on (shared/Microsoft.NETCore.App/&lt;version&gt;/ is three folders down).</summary>
    public static string DotnetRoot { get; } = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>Runs <paramref name="args"/> with <paramref name="stdin"/> and extra environment; no terminal, so no colours.</summary>
    public static Task<CliRun> RunAsync(IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, CancellationToken cancellationToken = default) =>
        RunProcessAsync(Executable, args, stdin, environment, workingDirectory, cancellationToken);

    /// <summary>Runs any program (kubectl) the same way.</summary>
    public static async Task<CliRun> RunProcessAsync(string program, IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The apphost finds the runtime through DOTNET_ROOT when dotnet is not in its default place.
        start.Environment["DOTNET_ROOT"] = DotnetRoot;
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
