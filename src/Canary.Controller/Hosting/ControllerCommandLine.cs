using System.CommandLine;
using System.CommandLine.Help;

namespace Canary.Controller.Hosting;

/// <summary>Turns command-line arguments and environment variables into validated <see cref="ControllerOptions"/>.
/// A flag on the command line wins over its environment variable, which wins over the default.</summary>
public static class ControllerCommandLine
{
    /// <summary>Parses <paramref name="args"/>; <paramref name="environment"/> looks up environment variables.</summary>
    public static OptionsParseResult Parse(IReadOnlyList<string> args, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var root = new RootCommand("canary-controller: progressive delivery controller for Kubernetes.");
        var options = new Dictionary<FlagSpec, Option<string>>();
        foreach (var flag in ControllerFlags.All)
        {
            var option = new Option<string>(flag.Name)
            {
                Description = $"{flag.Description} [env: {flag.EnvironmentVariable}]",
                Arity = flag.IsSwitch ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
            };
            root.Add(option);
            options[flag] = option;
        }

        var parsed = root.Parse(args);
        if (parsed.Action is HelpAction)
        {
            using var writer = new StringWriter();
            parsed.InvocationConfiguration.Output = writer;
            parsed.Invoke();
            return new OptionsParseResult(new ControllerOptions(), [], writer.ToString());
        }

        var errors = parsed.Errors.Select(e => e.Message).ToList();
        var result = new ControllerOptions();
        foreach (var (flag, option) in options)
        {
            var (raw, source) = RawValue(parsed, flag, option, environment);
            if (raw is null)
            {
                continue;
            }

            try
            {
                result = flag.Apply(result, raw);
            }
            catch (FormatException e)
            {
                errors.Add($"Invalid value for {flag.Name}{source}: {e.Message}");
            }
        }

        errors.AddRange(ControllerOptionsValidator.Validate(result));
        return new OptionsParseResult(result, errors, null);
    }

    private static (string? Raw, string Source) RawValue(
        ParseResult parsed, FlagSpec flag, Option<string> option, Func<string, string?> environment)
    {
        var given = parsed.GetResult(option);
        if (given is { Implicit: false })
        {
            // A switch given without a value means true.
            return (given.Tokens.Count == 0 && flag.IsSwitch ? "true" : parsed.GetValue(option), string.Empty);
        }

        var env = environment(flag.EnvironmentVariable);
        return string.IsNullOrEmpty(env) ? (null, string.Empty) : (env, $" (from {flag.EnvironmentVariable})");
    }
}
