using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Canary.LoadTester.Commands;

namespace Canary.LoadTester.Hey;

/// <summary>A hey command line that hey would reject, or that the tester refuses (named flags).</summary>
public sealed class HeyUsageException : FormatException
{
    public HeyUsageException()
    {
    }

    public HeyUsageException(string message)
        : base(message)
    {
    }

    public HeyUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// hey's command line (rakyll/hey, the load generator in Flagger's tester image), parsed as Go's <c>flag</c> package
/// does: <c>-flag value</c>, <c>-flag=value</c>, <c>--flag</c> alike, boolean flags without a value, parsing stops at
/// the first argument that is not a flag (the URL) or at <c>--</c>. Every flag hey has is understood; two are refused
/// by name: <c>-D</c> (a body read from a file: it would let any webhook send any file the tester can read, such as a
/// mounted token, anywhere) and <c>-o csv</c> (the summary is always hey's text). Arguments after the URL are refused
/// (hey ignores every flag written after it, which is never what was meant).
/// </summary>
public static partial class HeyCommand
{
    /// <summary>The most workers one run may have.</summary>
    public const int MaxWorkers = 10_000;

    private enum Kind
    {
        String,
        Int,
        Float,
        Duration,
        Bool,
    }

    private static readonly Dictionary<string, Kind> Flags = new(StringComparer.Ordinal)
    {
        ["m"] = Kind.String, ["h"] = Kind.String, ["H"] = Kind.String, ["d"] = Kind.String, ["D"] = Kind.String,
        ["A"] = Kind.String, ["T"] = Kind.String, ["a"] = Kind.String, ["host"] = Kind.String, ["U"] = Kind.String,
        ["o"] = Kind.String, ["x"] = Kind.String,
        ["c"] = Kind.Int, ["n"] = Kind.Int, ["t"] = Kind.Int, ["cpus"] = Kind.Int,
        ["q"] = Kind.Float,
        ["z"] = Kind.Duration,
        ["h2"] = Kind.Bool, ["disable-compression"] = Kind.Bool, ["disable-keepalive"] = Kind.Bool, ["disable-redirects"] = Kind.Bool,
    };

    /// <summary>True when <paramref name="program"/> (a command's first word) names hey, bare or as a path.</summary>
    public static bool IsHey(string program) => ProgramName(program) == "hey";

    /// <summary>The file name of a command's first word (<c>/usr/local/bin/hey</c> → <c>hey</c>).</summary>
    public static string ProgramName(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var slash = program.LastIndexOf('/');
        return slash < 0 ? program : program[(slash + 1)..];
    }

    /// <summary>Parses hey's arguments (the words after <c>hey</c>); throws <see cref="HeyUsageException"/> as hey would exit with its usage.</summary>
    public static HeyOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var headers = new List<string>();
        var ints = new Dictionary<string, long>(StringComparer.Ordinal);
        var bools = new HashSet<string>(StringComparer.Ordinal);
        double q = 0;
        TimeSpan z = TimeSpan.Zero;
        var i = 0;
        while (i < args.Count)
        {
            var s = args[i];
            if (s.Length < 2 || s[0] != '-')
            {
                break;
            }

            var minuses = s[1] == '-' ? 2 : 1;
            if (s == "--")
            {
                i++;
                break;
            }

            var name = s[minuses..];
            if (name.Length == 0 || name[0] is '-' or '=')
            {
                throw Usage($"bad flag syntax: {s}");
            }

            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            i++;
            if (!Flags.TryGetValue(name, out var kind))
            {
                throw name is "help" or "h"
                    ? Usage("-help asks for hey's usage; there is nothing to run")
                    : Usage($"flag provided but not defined: -{name}");
            }

            if (kind == Kind.Bool)
            {
                if (value is null || GoBool.TryParse(value, out var b) && b)
                {
                    bools.Add(name);
                }
                else if (!GoBool.TryParse(value, out _))
                {
                    throw Usage($"invalid boolean value \"{value}\" for -{name}: parse error");
                }
                else
                {
                    bools.Remove(name);
                }

                continue;
            }

            if (value is null)
            {
                if (i >= args.Count)
                {
                    throw Usage($"flag needs an argument: -{name}");
                }

                value = args[i++];
            }

            switch (kind)
            {
                case Kind.String when name == "H":
                    headers.Add(value);
                    break;
                case Kind.String:
                    strings[name] = value;
                    break;
                case Kind.Int:
                    ints[name] = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n is >= int.MinValue and <= int.MaxValue
                        ? n
                        : throw Usage($"invalid value \"{value}\" for flag -{name}: parse error");
                    break;
                case Kind.Float:
                    q = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f)
                        ? f
                        : throw Usage($"invalid value \"{value}\" for flag -{name}: parse error");
                    break;
                case Kind.Duration:
                    z = GoDuration.TryParse(value, out var d)
                        ? d
                        : throw Usage($"invalid value \"{value}\" for flag -{name}: parse error (a Go duration with a unit, e.g. 30s, 1m, 1m30s)");
                    break;
                default:
                    throw new InvalidOperationException(kind.ToString());
            }
        }

        if (i >= args.Count)
        {
            throw Usage("the URL is missing (hey [options...] <url>)");
        }

        var rawUrl = args[i];
        if (i + 1 < args.Count)
        {
            throw Usage($"unexpected argument after the URL: '{args[i + 1]}' (hey ignores everything written after the URL, flags included; put the flags before it)");
        }

        return Build(rawUrl, strings, headers, ints, bools, q, z);
    }

    private static HeyOptions Build(
        string rawUrl, Dictionary<string, string> strings, List<string> headerFlags, Dictionary<string, long> ints,
        HashSet<string> bools, double q, TimeSpan z)
    {
        var workers = (int)ints.GetValueOrDefault("c", 50);
        var requests = (int)ints.GetValueOrDefault("n", 200);
        if (z > TimeSpan.Zero)
        {
            if (workers <= 0)
            {
                throw Usage("-c cannot be smaller than 1.");
            }
        }
        else
        {
            if (requests <= 0 || workers <= 0)
            {
                throw Usage("-n and -c cannot be smaller than 1.");
            }

            if (requests < workers)
            {
                throw Usage("-n cannot be less than -c.");
            }
        }

        if (workers > MaxWorkers)
        {
            throw Usage($"-c {workers} is more workers than canary-loadtester runs at once (at most {MaxWorkers})");
        }

        if (strings.ContainsKey("D"))
        {
            throw Usage("-D (request body from a file) is refused by canary-loadtester: it would let any webhook send any file the tester can read (such as a mounted token) to any URL; put the body in -d");
        }

        if (strings.TryGetValue("o", out var output) && output.Length > 0)
        {
            throw Usage($"-o {output} is not supported by canary-loadtester: the summary is always hey's text summary");
        }

        if (strings.TryGetValue("h", out var deprecated) && deprecated.Length > 0)
        {
            throw Usage("Flag '-h' is deprecated, please use '-H' instead.");
        }

        if (!Uri.TryCreate(rawUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw Usage($"'{rawUrl}' is not an absolute http or https URL");
        }

        var method = strings.GetValueOrDefault("m", "GET").ToUpperInvariant();
        if (method.Length == 0 || !method.All(IsTokenChar))
        {
            throw Usage($"invalid method \"{method}\"");
        }

        var headers = new List<KeyValuePair<string, string>>();
        string? host = strings.GetValueOrDefault("host");
        Set(headers, "Content-Type", strings.GetValueOrDefault("T", "text/html"));
        foreach (var h in headerFlags)
        {
            var match = HeaderPattern().Match(h);
            if (!match.Success)
            {
                throw Usage($"could not parse the provided input; input = {h}");
            }

            var name = Canonical(match.Groups[1].Value);
            if (name == "Host")
            {
                // Go's client ignores a Host header in the map; sending it is what was meant (-host wins when both are given).
                host ??= match.Groups[2].Value;
                continue;
            }

            Set(headers, name, match.Groups[2].Value);
        }

        if (strings.TryGetValue("A", out var accept) && accept.Length > 0)
        {
            Set(headers, "Accept", accept);
        }

        var ua = headers.FirstOrDefault(h => h.Key == "User-Agent").Value;
        Set(headers, "User-Agent", string.IsNullOrEmpty(ua) ? HeyOptions.HeyUserAgent : ua + " " + HeyOptions.HeyUserAgent);
        if (strings.TryGetValue("U", out var userAgent) && userAgent.Length > 0)
        {
            Set(headers, "User-Agent", userAgent + " " + HeyOptions.HeyUserAgent);
        }

        if (strings.TryGetValue("a", out var auth) && auth.Length > 0)
        {
            var match = AuthPattern().Match(auth);
            if (!match.Success)
            {
                throw Usage($"could not parse the provided input; input = {auth}");
            }

            Set(headers, "Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(match.Groups[1].Value + ":" + match.Groups[2].Value)));
        }

        Uri? proxy = null;
        if (strings.TryGetValue("x", out var proxyAddress) && proxyAddress.Length > 0)
        {
            var withScheme = proxyAddress.Contains("://", StringComparison.Ordinal) ? proxyAddress : "http://" + proxyAddress;
            if (!Uri.TryCreate(withScheme, UriKind.Absolute, out proxy) || proxy.Scheme != Uri.UriSchemeHttp)
            {
                throw Usage($"-x {proxyAddress} is not an HTTP proxy address (host:port)");
            }
        }

        var timeoutSeconds = ints.GetValueOrDefault("t", 20);
        return new HeyOptions
        {
            Url = url,
            Method = method,
            Requests = requests,
            Workers = workers,
            RatePerWorker = Math.Max(0, q),
            Duration = z > TimeSpan.Zero ? z : null,
            Timeout = timeoutSeconds > 0 ? TimeSpan.FromSeconds(timeoutSeconds) : null,
            Headers = headers,
            Body = strings.TryGetValue("d", out var body) ? Encoding.UTF8.GetBytes(body) : ReadOnlyMemory<byte>.Empty,
            Host = string.IsNullOrEmpty(host) ? null : host,
            Proxy = proxy,
            Http2 = bools.Contains("h2"),
            DisableCompression = bools.Contains("disable-compression"),
            DisableKeepAlive = bools.Contains("disable-keepalive"),
            DisableRedirects = bools.Contains("disable-redirects"),
        };
    }

    private static void Set(List<KeyValuePair<string, string>> headers, string name, string value)
    {
        var at = headers.FindIndex(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
        if (at >= 0)
        {
            headers[at] = new(name, value);
        }
        else
        {
            headers.Add(new(name, value));
        }
    }

    /// <summary>Go's <c>CanonicalMIMEHeaderKey</c>: <c>x-request-id</c> → <c>X-Request-Id</c>.</summary>
    private static string Canonical(string name)
    {
        var chars = name.ToCharArray();
        var upper = true;
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = upper ? char.ToUpperInvariant(chars[i]) : char.ToLowerInvariant(chars[i]);
            upper = chars[i] == '-';
        }

        return new string(chars);
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static HeyUsageException Usage(string message) => new("hey: " + message);

    // hey's own patterns: a header is "Name: value", basic auth "user:password".
    [GeneratedRegex(@"^([A-Za-z0-9_-]+):\s*(.+)", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^(.+):([^\s].+)", RegexOptions.CultureInvariant)]
    private static partial Regex AuthPattern();
}
