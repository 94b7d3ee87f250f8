using System.Diagnostics;
using Xunit.Abstractions;

namespace Canary.Sandbox.Tests.Demo;

/// <summary>The README's first command as a process: the story, the summary, exit code 0, the kubeconfig written.</summary>
public sealed class DemoCommandTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Demo_command_prints_the_summary_and_exits_0()
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-demo-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Canary.Sandbox.dll"), "demo", "--port", "0", "--kubeconfig-out", kubeconfig })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var text = await stdout;
            var errors = await stderr;
            output.WriteLine(text);
            output.WriteLine(errors);

            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}; stderr: {errors}");
            Assert.True(File.Exists(kubeconfig));
            Assert.Contains("══ Summary: gatewayapi:v1, canary, 20% steps to 60%", text, StringComparison.Ordinal);
            Assert.Matches(@"v2\s+healthy new version\s+promoted\s+promoted\s+0→20→40→60→0", text);
            Assert.Matches(@"v3\s+8% of requests fail \(HTTP 500\)\s+rolled back\s+rolled back\s+0→20→0\s+[0-3] ", text);
            Assert.Matches(@"v4 rolled back: Halt podinfo\.test advancement request-duration canary p99", text);
            Assert.Contains("Result: every release ended as expected", text, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(dir, recursive: true);
        }
    }
}
