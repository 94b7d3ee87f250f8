using System.Globalization;
using System.Net;
using System.Text;
using Canary.Sandbox.Processes;

namespace Canary.Sandbox.Influx;

/// <summary>
/// A real InfluxDB 1.x (Debian's <c>/usr/bin/influxd</c>) on 127.0.0.1 with its meta, data and WAL in its own folder,
/// no reporting and no self-monitoring, and one database created. <see cref="StartAsync"/> returns once it answers
/// <c>/ping</c> and the database exists; dispose kills the process and deletes the folder.
/// </summary>
public sealed class InfluxDbRunner : IAsyncDisposable
{
    /// <summary>Where Debian's influxdb package puts the server.</summary>
    public const string DefaultBinary = "/usr/bin/influxd";

    private readonly ServerProcesses _processes;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private InfluxDbRunner(string directory, int port, string database)
    {
        _processes = new ServerProcesses(directory);
        Directory = directory;
        Database = database;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>http://127.0.0.1:PORT/ — the HTTP API (/write, /query, /ping).</summary>
    public Uri Url { get; }

    /// <summary>The database created at start.</summary>
    public string Database { get; }

    /// <summary>Folder holding the config, meta, data and WAL.</summary>
    public string Directory { get; }

    /// <summary>Starts influxd with database <paramref name="database"/> and waits until it answers.</summary>
    public static async Task<InfluxDbRunner> StartAsync(string database = "canary", string binary = DefaultBinary, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"InfluxDB binary '{binary}' not found: install Debian's influxdb package: scripts/setup.sh does it");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("canary-influxdb-").FullName;
        var port = ServerProcesses.FreePort();
        var rpcPort = ServerProcesses.FreePort();
        var config = Path.Combine(directory, "influxdb.conf");
        await File.WriteAllTextAsync(config, Config(directory, port, rpcPort), cancellationToken).ConfigureAwait(false);
        var runner = new InfluxDbRunner(directory, port, database);
        try
        {
            runner._processes.Start(binary, ["-config", config]);
            await runner.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            await runner.QueryAsync($"CREATE DATABASE \"{database}\"", cancellationToken).ConfigureAwait(false);
            return runner;
        }
        catch
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Writes points in the line protocol (nanosecond timestamps) to the database.</summary>
    public async Task WriteAsync(string lineProtocol, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(lineProtocol, Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync(new Uri(Url, $"write?db={Uri.EscapeDataString(Database)}"), content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"InfluxDB write failed ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }

    /// <summary>Runs an InfluxQL statement against the database; returns the JSON answer.</summary>
    public async Task<string> QueryAsync(string influxQl, CancellationToken cancellationToken = default)
    {
        using var form = new FormUrlEncodedContent([new("q", influxQl), new("db", Database)]);
        using var response = await _http.PostAsync(new Uri(Url, "query"), form, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"InfluxDB query failed ({(int)response.StatusCode}): {body}");
    }

    /// <summary>Kills influxd and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await _processes.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }

    // Everything in the runner's folder and on loopback; nothing reported home, no _internal database.
    private static string Config(string directory, int port, int rpcPort) => $"""
        reporting-enabled = false
        bind-address = "127.0.0.1:{rpcPort.ToString(CultureInfo.InvariantCulture)}"
        [meta]
          dir = "{Path.Combine(directory, "meta")}"
        [data]
          dir = "{Path.Combine(directory, "data")}"
          wal-dir = "{Path.Combine(directory, "wal")}"
          query-log-enabled = false
        [monitor]
          store-enabled = false
        [http]
          bind-address = "127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"
          log-enabled = false
        """;

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_processes.Exited is { } exited)
            {
                throw new InvalidOperationException($"influxd exited with code {exited.ExitCode}: {_processes.Log}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(Url, "ping"), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A request timed out while influxd was starting; try again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"InfluxDB at {Url} did not answer /ping within 30 s: {_processes.Log}");
    }
}
