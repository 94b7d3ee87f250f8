using Canary.LoadTester.Hey;
using Canary.LoadTester.Webhooks;

namespace Canary.LoadTester.Commands;

/// <summary>
/// Reads Flagger's task metadata: <c>type</c> (default <c>cmd</c>; an empty type is <c>cmd</c> too), <c>cmd</c>,
/// <c>logCmdOutput</c>, <c>returnCmdOutput</c>. <c>cmd</c> runs in the background (202 at once, one run per canary and
/// command at a time), <c>bash</c>, <c>helm</c>/<c>helmv3</c> and <c>kubectl</c> block until done. A <c>cmd</c> or
/// <c>bash</c> command is split into words as <c>sh</c> would (<see cref="ShellWords"/>); <c>hey</c> is generated
/// natively, any other program runs only when <c>--allow-commands</c> names it (directly, no shell), and so do helm and
/// kubectl (their words split on blanks, as Flagger does). <c>ghz</c>, <c>concord</c> and <c>ngrinder</c> are refused by name.
/// </summary>
public static class TaskResolver
{
    /// <summary>The flag that lets the tester run other programs.</summary>
    public const string AllowFlag = "--allow-commands";

    /// <summary>Resolves <paramref name="payload"/> with <paramref name="allowed"/> programs runnable.</summary>
    public static TaskPlan Resolve(CanaryWebhookPayload payload, IReadOnlySet<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(allowed);
        var metadata = payload.Metadata ?? new Dictionary<string, string>();
        var type = metadata.GetValueOrDefault("type");
        if (string.IsNullOrEmpty(type))
        {
            type = "cmd";
        }

        var command = metadata.GetValueOrDefault("cmd") ?? "";
        var log = GoBool.IsTrue(metadata.GetValueOrDefault("logCmdOutput"));
        var ret = GoBool.IsTrue(metadata.GetValueOrDefault("returnCmdOutput"));
        RefusedPlan Refuse(string reason, string message) =>
            new() { Canary = payload.Canary, Command = command, Blocking = false, Reason = reason, Message = message };

        switch (type)
        {
            case "cmd" or "bash":
                if (!metadata.ContainsKey("cmd") || string.IsNullOrWhiteSpace(command))
                {
                    return Refuse("payload", "cmd not found in metadata");
                }

                IReadOnlyList<string> words;
                try
                {
                    words = ShellWords.Split(command);
                }
                catch (ShellSyntaxException e)
                {
                    return Refuse("syntax", $"{type} {command}: {e.Message}");
                }

                if (words.Count == 0)
                {
                    return Refuse("payload", "cmd not found in metadata");
                }

                var blocking = type == "bash";
                log |= blocking; // Flagger logs the output of its blocking tasks always.
                if (HeyCommand.IsHey(words[0]))
                {
                    try
                    {
                        return new HeyPlan
                        {
                            Canary = payload.Canary, Command = command, Blocking = blocking, LogOutput = log, ReturnOutput = ret,
                            Options = HeyCommand.Parse(words.Skip(1).ToList()),
                        };
                    }
                    catch (HeyUsageException e)
                    {
                        return Refuse("flags", e.Message);
                    }
                }

                if (allowed.Contains(words[0]))
                {
                    return new ProcessPlan { Canary = payload.Canary, Command = command, Blocking = blocking, LogOutput = log, ReturnOutput = ret, Arguments = words };
                }

                return HeyCommand.ProgramName(words[0]) == "ghz"
                    ? Refuse("command", $"ghz (gRPC load) is not implemented by canary-loadtester: it generates HTTP load with hey natively and runs no other program; {AllowFlag}=ghz runs a ghz binary you add to the image, directly (no shell)")
                    : Refuse("command", $"command {words[0]} is not allowed: canary-loadtester generates hey load natively and runs no shell and no other program unless started with {AllowFlag}={words[0]} (which runs it directly, without a shell)");
            case "helm" or "helmv3" or "kubectl":
                {
                    var program = type == "kubectl" ? "kubectl" : "helm";
                    if (!allowed.Contains(program))
                    {
                        return Refuse("command", $"task type {type} runs {program}, which is not allowed: start canary-loadtester with {AllowFlag}={program} to run it (directly, without a shell)");
                    }

                    // Flagger splits these on blanks (strings.Fields), quotes included.
                    var args = command.Split([' ', '\t', '\n', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries);
                    return new ProcessPlan { Canary = payload.Canary, Command = command, Blocking = true, LogOutput = true, ReturnOutput = ret, Arguments = [program, .. args] };
                }

            case "concord" or "ngrinder":
                return Refuse("type", $"task type {type} is not implemented by canary-loadtester");
            default:
                return Refuse("type", $"unknown task type {type}");
        }
    }
}
