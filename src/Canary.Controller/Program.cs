using Canary.Controller.Hosting;
using Microsoft.AspNetCore.Builder;

// Entry point: flags and environment -> validated options -> the controller host (SIGTERM stops it gracefully).
var parsed = ControllerCommandLine.Parse(args);
if (parsed.HelpText is not null)
{
    await Console.Out.WriteAsync(parsed.HelpText).ConfigureAwait(false);
    return 0;
}

if (!parsed.IsValid)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"canary-controller: {error}").ConfigureAwait(false);
    }

    return 2;
}

await using var app = ControllerHost.Build(parsed.Options);
await app.RunAsync().ConfigureAwait(false);
return 0;
