using System.Diagnostics;

namespace Canary.Sandbox.Tests;

/// <summary>The `serve` command as a process: one readiness line, a working kubeconfig, exit 0 on SIGTERM.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_prints_one_readiness_line_and_exits_cleanly_on_sigterm()
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-serve-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        var dll = Path.Combine(AppContext.BaseDirectory, "Canary.Sandbox.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "serve", "--port", "0", "--kubeconfig-out", kubeconfig })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.Matches(@"^sandbox API server listening on http://127\.0\.0\.1:\d+ \(kubeconfig: .+kubeconfig\)$", line);
            var kubectl = new Kubectl(kubeconfig, Path.Combine(dir, "cache"));
            Assert.Contains("default", await kubectl.OkAsync("get ns"), StringComparison.Ordinal);

            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Equal(string.Empty, (await process.StandardOutput.ReadToEndAsync(cts.Token)).Trim());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            Directory.Delete(dir, recursive: true);
        }
    }
}
