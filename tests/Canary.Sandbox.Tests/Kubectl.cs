using System.Diagnostics;
using System.Text;

namespace Canary.Sandbox.Tests;

/// <summary>Runs the real /usr/bin/kubectl against a sandbox kubeconfig with a private discovery cache.</summary>
public sealed class Kubectl(string kubeconfig, string cacheDir)
{
    public const string Binary = "/usr/bin/kubectl";

    public async Task<KubectlResult> RunAsync(string args, string? stdin = null, int timeoutSeconds = 30)
    {
        using var process = Start(args, redirectStdin: stdin is not null);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        await process.WaitForExitAsync(timeout.Token);
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and asserts success, returning stdout.</summary>
    public async Task<string> OkAsync(string args, string? stdin = null)
    {
        var result = await RunAsync(args, stdin);
        Assert.True(result.ExitCode == 0, $"kubectl {args} failed ({result.ExitCode}): {result.Stderr}\n{result.Stdout}");
        return result.Stdout;
    }

    /// <summary>Starts a long-running kubectl (e.g. get --watch); the caller reads its output and kills it.</summary>
    public Process Start(string args, bool redirectStdin = false)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in new[] { "--kubeconfig", kubeconfig, "--cache-dir", cacheDir })
        {
            info.ArgumentList.Add(a);
        }

        foreach (var a in SplitArgs(args))
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    // Splits on spaces, keeping single-quoted segments (JSON patches) together.
    private static List<string> SplitArgs(string args)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in args)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    result.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            result.Add(current.ToString());
        }

        return result;
    }
}

/// <summary>Exit code and output of one kubectl run.</summary>
public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr);
