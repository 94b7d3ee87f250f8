using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Canary.Sandbox.Processes;

namespace Canary.Sandbox.Graphite;

/// <summary>
/// A real Graphite from Debian's packages on 127.0.0.1: carbon-cache (<c>/usr/bin/carbon-cache</c>, plaintext receiver,
/// Whisper files at one-second resolution for an hour) and graphite-web (Django's server run by the system Python,
/// reading those files and carbon-cache's not yet written points), everything in its own folder.
/// <see cref="StartAsync"/> returns once <c>/render</c> answers; dispose stops both and deletes the folder.
/// </summary>
public sealed class GraphiteRunner : IAsyncDisposable
{
    /// <summary>Debian's carbon-cache.</summary>
    public const string CarbonBinary = "/usr/bin/carbon-cache";

    /// <summary>The Python with Debian's graphite-web and Django (not a pyenv or venv one first on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    private readonly ServerProcesses _processes;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly int _plaintextPort;

    private GraphiteRunner(string directory, int webPort, int plaintextPort)
    {
        _processes = new ServerProcesses(directory);
        Directory = directory;
        _plaintextPort = plaintextPort;
        Url = new Uri($"http://127.0.0.1:{webPort.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>http://127.0.0.1:PORT/ — graphite-web (<c>/render</c>).</summary>
    public Uri Url { get; }

    /// <summary>Folder of the configs, Whisper files, database and logs.</summary>
    public string Directory { get; }

    /// <summary>Starts carbon-cache and graphite-web and waits until <c>/render</c> answers.</summary>
    public static async Task<GraphiteRunner> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(CarbonBinary) || !System.IO.Directory.Exists("/usr/lib/python3/dist-packages/graphite"))
        {
            throw new InvalidOperationException("Graphite not found: install Debian's graphite-carbon and graphite-web packages: scripts/setup.sh does it");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("canary-graphite-").FullName;
        foreach (var folder in new[] { "whisper", "lists", "log" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(directory, folder));
        }

        var (web, plaintext, pickle, cacheQuery) = (ServerProcesses.FreePort(), ServerProcesses.FreePort(), ServerProcesses.FreePort(), ServerProcesses.FreePort());
        await File.WriteAllTextAsync(Path.Combine(directory, "carbon.conf"), CarbonConfig(directory, plaintext, pickle, cacheQuery), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "storage-schemas.conf"), "[default]\npattern = .*\nretentions = 1s:1h\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "canary_graphite_settings.py"), WebSettings, cancellationToken).ConfigureAwait(false);
        var runner = new GraphiteRunner(directory, web, plaintext);
        try
        {
            runner._processes.Start(CarbonBinary, [$"--config={Path.Combine(directory, "carbon.conf")}", "--debug", "start"]);
            var environment = new Dictionary<string, string>
            {
                ["CANARY_GRAPHITE_DIR"] = directory,
                ["CANARY_CARBONLINK"] = $"127.0.0.1:{cacheQuery.ToString(CultureInfo.InvariantCulture)}:a",
                ["PYTHONPATH"] = directory,
                ["DJANGO_SETTINGS_MODULE"] = "canary_graphite_settings",
            };
            using (var migrate = runner._processes.Start(Python, ["-m", "django", "migrate", "--run-syncdb", "-v", "0"], environment, longRunning: false))
            {
                await migrate.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (migrate.ExitCode != 0)
                {
                    throw new InvalidOperationException($"graphite-web's database set-up failed ({migrate.ExitCode}): {runner._processes.Log}");
                }
            }

            runner._processes.Start(Python, ["-m", "django", "runserver", $"127.0.0.1:{web.ToString(CultureInfo.InvariantCulture)}", "--noreload", "--nothreading"], environment);
            await runner.WaitUntilReadyAsync(plaintext, cancellationToken).ConfigureAwait(false);
            return runner;
        }
        catch
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends lines of Graphite's plaintext protocol (<c>path value unix-seconds</c>) to carbon-cache.</summary>
    public async Task WriteAsync(string plaintext, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _plaintextPort, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(plaintext), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops graphite-web and carbon-cache and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await _processes.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }

    // graphite-web's own settings, then ours: every path in the runner's folder, the cache query port of our carbon.
    private const string WebSettings = """
        from graphite.settings import *  # noqa: F401,F403
        import os
        _root = os.environ["CANARY_GRAPHITE_DIR"]
        STORAGE_DIR = _root
        WHISPER_DIR = os.path.join(_root, "whisper")
        CERES_DIR = os.path.join(_root, "ceres")
        RRD_DIR = os.path.join(_root, "rrd")
        STANDARD_DIRS = [WHISPER_DIR]
        INDEX_FILE = os.path.join(_root, "index")
        LOG_DIR = os.path.join(_root, "log")
        SECRET_KEY = "canary-sandbox-only"
        DATABASES = {"default": {"NAME": os.path.join(_root, "graphite.db"), "ENGINE": "django.db.backends.sqlite3"}}
        CARBONLINK_HOSTS = [os.environ["CANARY_CARBONLINK"]]
        LOG_RENDERING_PERFORMANCE = False
        LOG_CACHE_PERFORMANCE = False
        """;

    private static string CarbonConfig(string directory, int plaintext, int pickle, int cacheQuery) => $"""
        [cache]
        STORAGE_DIR = {directory}/
        LOCAL_DATA_DIR = {directory}/whisper/
        WHITELISTS_DIR = {directory}/lists/
        CONF_DIR = {directory}/
        LOG_DIR = {directory}/log/
        PID_DIR = {directory}/
        ENABLE_LOGROTATION = False
        USER =
        MAX_CACHE_SIZE = inf
        MAX_UPDATES_PER_SECOND = inf
        MAX_CREATES_PER_MINUTE = inf
        LINE_RECEIVER_INTERFACE = 127.0.0.1
        LINE_RECEIVER_PORT = {plaintext.ToString(CultureInfo.InvariantCulture)}
        ENABLE_UDP_LISTENER = False
        PICKLE_RECEIVER_INTERFACE = 127.0.0.1
        PICKLE_RECEIVER_PORT = {pickle.ToString(CultureInfo.InvariantCulture)}
        CACHE_QUERY_INTERFACE = 127.0.0.1
        CACHE_QUERY_PORT = {cacheQuery.ToString(CultureInfo.InvariantCulture)}
        LOG_LISTENER_CONNECTIONS = False
        LOG_UPDATES = False
        LOG_CACHE_HITS = False
        """;

    // Both must answer: graphite-web's /render, and carbon's plaintext receiver.
    private async Task WaitUntilReadyAsync(int plaintext, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_processes.Exited is { } exited)
            {
                throw new InvalidOperationException($"{exited.StartInfo.FileName} exited with code {exited.ExitCode}: {_processes.Log}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(Url, "render?target=canary.ready&format=json"), cancellationToken).ConfigureAwait(false);
                using var carbon = new TcpClient();
                await carbon.ConnectAsync(IPAddress.Loopback, plaintext, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"Graphite at {Url} did not answer within 60 s: {_processes.Log}");
    }
}
