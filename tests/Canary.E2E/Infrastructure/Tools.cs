using System.Diagnostics;

namespace Canary.E2E.Infrastructure;

/// <summary>What one run of kubectl or kubectl-canary printed and returned.</summary>
public sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n{Stdout}\n{Stderr}";
}

/// <summary>The real kubectl and the built kubectl-canary (copied next to the tests), run as a user would with a kubeconfig.</summary>
public static class Tools
{
    /// <summary>The built plugin; its folder on PATH makes <c>kubectl canary</c> work.</summary>
    public static string KubectlCanary => Path.Combine(AppContext.BaseDirectory, "kubectl-canary");

    /// <summary>kubectl with KUBECONFIG set (no --kubeconfig flag: kubectl passes flags before a plugin's name to no one).</summary>
    public static Task<ToolRun> KubectlAsync(string kubeconfig, IEnumerable<string> args, string? stdin = null) =>
        RunAsync("/usr/bin/kubectl", [.. args], stdin, kubeconfig);

    public static Task<ToolRun> CanaryCliAsync(string kubeconfig, IEnumerable<string> args) =>
        RunAsync(KubectlCanary, [.. args], null, kubeconfig);

    /// <summary>Starts kubectl-canary without waiting (watch): await the task for its end.</summary>
    public static Task<ToolRun> StartCanaryCliAsync(string kubeconfig, IEnumerable<string> args, CancellationToken cancellationToken) =>
        RunAsync(KubectlCanary, [.. args], null, kubeconfig, cancellationToken);

    private static async Task<ToolRun> RunAsync(string program, IReadOnlyList<string> args, string? stdin, string kubeconfig, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        start.Environment["PATH"] = AppContext.BaseDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ToolRun(process.ExitCode, await stdout, await stderr);
    }
}
