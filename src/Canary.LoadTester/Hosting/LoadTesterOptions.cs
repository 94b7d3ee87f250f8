using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Canary.LoadTester.Hosting;

/// <summary>The tester's settings; flag names and defaults are Flagger's loadtester's (see <see cref="LoadTesterCommandLine"/>).</summary>
public sealed record LoadTesterOptions
{
    /// <summary><c>--port</c>: where the API, <c>/healthz</c> and <c>/metrics</c> are served (Flagger's default 9090; its manifests run 8080).</summary>
    public int Port { get; init; } = 9090;

    /// <summary><c>--timeout</c>: how long one run may take before it is stopped (Flagger's exec timeout, 1h).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>--namespace-regexp</c>: only canaries whose namespace matches (anywhere, as Go's MatchString) are served; others get 403.</summary>
    public Regex? NamespaceRegexp { get; init; }

    /// <summary><c>--log-level</c>: debug, info, warning or error.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary><c>--zap-encoding</c>: json (default, as Flagger) or console.</summary>
    public bool JsonLogs { get; init; } = true;

    /// <summary><c>--allow-commands</c>: programs (besides hey, always generated natively) that tasks may run, directly and without a shell.</summary>
    public IReadOnlySet<string> AllowCommands { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary><c>--proxy</c>: the HTTP proxy hey's requests go through when the command gives no <c>-x</c> (this tester's own flag).</summary>
    public Uri? Proxy { get; init; }

    /// <summary>Listen on 127.0.0.1 only (tests and benchmarks); <see cref="Port"/> 0 picks a free port.</summary>
    public bool LoopbackOnly { get; init; }

    /// <summary>True when <paramref name="namespace"/> may be served.</summary>
    public bool Authorize(string @namespace) => NamespaceRegexp is null || NamespaceRegexp.IsMatch(@namespace);
}
