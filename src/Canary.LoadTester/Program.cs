using Canary.LoadTester.Hosting;
using Microsoft.AspNetCore.Builder;

// Entry point: flags -> options -> the tester's web host (SIGTERM stops it, cancelling the runs in progress).
var parsed = LoadTesterCommandLine.Parse(args);
if (parsed.HelpText is not null)
{
    await Console.Out.WriteAsync(parsed.HelpText).ConfigureAwait(false);
    return 0;
}

if (!parsed.IsValid)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"canary-loadtester: {error}").ConfigureAwait(false);
    }

    return 2;
}

await using var app = LoadTesterHost.Build(parsed.Options);
await app.RunAsync().ConfigureAwait(false);
return 0;
