using System.Diagnostics;

namespace Canary.Controller.Tests.Hosting;

public class ExecutableTests
{
    [Theory]
    [InlineData("--threadiness=zero", "--threadiness")]
    [InlineData("--kube-api-burst=-5", "--kube-api-burst")]
    [InlineData("--log-format=yaml", "--log-format")]
    public async Task A_bad_flag_exits_non_zero_with_a_message_naming_it(string argument, string flag)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "canary-controller.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(flag, await stderr, StringComparison.Ordinal);
    }
}
