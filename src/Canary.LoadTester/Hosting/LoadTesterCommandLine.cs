using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Canary.LoadTester.Commands;
using Microsoft.Extensions.Logging;

namespace Canary.LoadTester.Hosting;

/// <summary>The outcome of parsing the command line: options, or errors, or the help text to print.</summary>
public sealed record LoadTesterParseResult(LoadTesterOptions Options, IReadOnlyList<string> Errors, string? HelpText)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The tester's flags, Flagger's loadtester's names and defaults, written <c>-flag=value</c>, <c>-flag value</c> or with
/// two dashes (Flagger's manifests use one dash): <c>--port</c> (9090), <c>--timeout</c> (1h, a Go duration),
/// <c>--namespace-regexp</c>, <c>--log-level</c> (info), <c>--zap-encoding</c> (json), <c>--zap-replace-globals</c>
/// (accepted, no effect), and this tester's own <c>--allow-commands</c> (comma-separated, repeatable).
/// </summary>
public static class LoadTesterCommandLine
{
    private static readonly (string Name, bool IsSwitch, string Help)[] Flags =
    [
        ("port", false, "Port to listen on (API, /healthz, /metrics). Default 9090."),
        ("timeout", false, "Load test exec timeout: a run still going after this is stopped (Go duration). Default 1h."),
        ("namespace-regexp", false, "Restrict access to canaries in matching namespaces (others get 403)."),
        ("log-level", false, "Log level: debug, info, warning, error. Default info."),
        ("zap-encoding", false, "Log encoding: json or console. Default json."),
        ("zap-replace-globals", true, "Accepted for compatibility with Flagger's loadtester; no effect."),
        ("proxy", false, "HTTP proxy URL for hey's requests when the command gives no -x (e.g. to reach a sandbox's Services by name). Default none."),
        ("allow-commands", false, "Comma-separated programs (besides hey, which runs natively) that webhooks may run, directly with their arguments, never through a shell; e.g. helm,kubectl,curl. Default none."),
    ];

    /// <summary>Parses <paramref name="args"/>.</summary>
    public static LoadTesterParseResult Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new LoadTesterOptions();
        var errors = new List<string>();
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg.TrimStart('-');
            if (arg.Length < 2 || arg[0] != '-' || name.Length == 0 || arg.Length - name.Length > 2)
            {
                errors.Add($"unexpected argument '{arg}'");
                continue;
            }

            if (name is "h" or "help")
            {
                return new LoadTesterParseResult(options, [], HelpText());
            }

            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            var flag = Array.FindIndex(Flags, f => f.Name == name);
            if (flag < 0)
            {
                errors.Add($"flag provided but not defined: -{name}");
                continue;
            }

            if (Flags[flag].IsSwitch)
            {
                if (value is not null && !GoBool.TryParse(value, out _))
                {
                    errors.Add($"invalid boolean value \"{value}\" for -{name}");
                }

                continue;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    errors.Add($"flag needs an argument: -{name}");
                    continue;
                }

                value = args[++i];
            }

            try
            {
                options = Apply(options, name, value, allowed);
            }
            catch (FormatException e)
            {
                errors.Add($"invalid value \"{value}\" for flag -{name}: {e.Message}");
            }
        }

        return new LoadTesterParseResult(options with { AllowCommands = allowed }, errors, null);
    }

    private static LoadTesterOptions Apply(LoadTesterOptions options, string name, string value, HashSet<string> allowed)
    {
        switch (name)
        {
            case "port":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
                    ? options with { Port = port }
                    : throw new FormatException("not a port number (0-65535)");
            case "timeout":
                return GoDuration.TryParse(value, out var timeout) && timeout > TimeSpan.Zero
                    ? options with { Timeout = timeout }
                    : throw new FormatException("not a positive Go duration such as 1h or 90s");
            case "namespace-regexp":
                try
                {
                    // Go's regexp is RE2: linear time, no backtracking; so is this option.
                    return options with { NamespaceRegexp = value.Length == 0 ? null : new Regex(value, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant) };
                }
                catch (ArgumentException e)
                {
                    throw new FormatException(e.Message, e);
                }

            case "log-level":
                return options with
                {
                    LogLevel = value.ToUpperInvariant() switch
                    {
                        "DEBUG" => LogLevel.Debug,
                        "INFO" => LogLevel.Information,
                        "WARN" or "WARNING" => LogLevel.Warning,
                        "ERROR" => LogLevel.Error,
                        _ => throw new FormatException("not one of debug, info, warning, error"),
                    },
                };
            case "zap-encoding":
                return options with
                {
                    JsonLogs = value switch
                    {
                        "json" => true,
                        "console" => false,
                        _ => throw new FormatException("not one of json, console"),
                    },
                };
            case "proxy":
                return Uri.TryCreate(value, UriKind.Absolute, out var proxy) && proxy.Scheme == Uri.UriSchemeHttp
                    ? options with { Proxy = proxy }
                    : throw new FormatException($"'{value}' is not an absolute http:// URL");
            case "allow-commands":
                foreach (var command in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (command.Any(char.IsWhiteSpace))
                    {
                        throw new FormatException($"'{command}' is not a program name");
                    }

                    allowed.Add(command);
                }

                return options;
            default:
                throw new FormatException("unknown flag");
        }
    }

    private static string HelpText()
    {
        var text = new StringBuilder("Usage: canary-loadtester [flags]\n\nFlagger-compatible load tester: hey load generated natively, no shell.\n\nFlags:\n");
        foreach (var (name, isSwitch, help) in Flags)
        {
            text.Append(CultureInfo.InvariantCulture, $"  --{name}{(isSwitch ? "" : " value")}\n        {help}\n");
        }

        return text.ToString();
    }
}
