using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Canary.Sandbox.Prometheus;

/// <summary>
/// A real Prometheus (Debian's <c>/usr/bin/prometheus</c>) on 127.0.0.1 scraping one metrics URL (the traffic
/// simulator's /metrics) every second, with a ready-made config and a TSDB in its own folder.
/// <see cref="StartAsync"/> returns once it is ready and has scraped the target; dispose kills the process tree.
/// </summary>
public sealed class PrometheusRunner : IAsyncDisposable
{
    private const int KeptLogLines = 30;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly bool _ownsDirectory;
    private readonly PrometheusRunnerOptions _options;

    private PrometheusRunner(Process process, PrometheusRunnerOptions options, string directory, bool ownsDirectory, int port)
    {
        _process = process;
        _options = options;
        _ownsDirectory = ownsDirectory;
        Directory = directory;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    /// <summary>http://127.0.0.1:PORT/ — the base URL for the controller's metrics server setting.</summary>
    public Uri Url { get; }

    /// <summary>Folder holding prometheus.yml and data/.</summary>
    public string Directory { get; }

    /// <summary>Writes the config, starts Prometheus scraping <paramref name="metricsUrl"/>, waits until ready and scraped.</summary>
    public static async Task<PrometheusRunner> StartAsync(Uri metricsUrl, PrometheusRunnerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metricsUrl);
        options ??= new PrometheusRunnerOptions();
        if (!File.Exists(options.Binary))
        {
            throw new InvalidOperationException(
                $"Prometheus binary '{options.Binary}' not found: install Debian's prometheus package: scripts/setup.sh does it");
        }

        var ownsDirectory = options.Directory is null;
        var directory = options.Directory ?? System.IO.Directory.CreateTempSubdirectory("canary-prometheus-").FullName;
        System.IO.Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, Config(metricsUrl, options), cancellationToken).ConfigureAwait(false);

        var port = options.Port == 0 ? FreePort() : options.Port;
        var start = new ProcessStartInfo(options.Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={configPath}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--storage.tsdb.retention.time={GoDuration(options.Retention)}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{options.Binary} did not start");
        var runner = new PrometheusRunner(process, options, directory, ownsDirectory, port);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await runner.WaitUntilScrapedAsync(cancellationToken).ConfigureAwait(false);
            return runner;
        }
        catch
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs an instant query; the value of the first sample, or null for an empty result.</summary>
    public async Task<double?> QueryAsync(string promql, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(Url, "api/v1/query?query=" + Uri.EscapeDataString(promql));
        using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Prometheus query failed ({(int)response.StatusCode}): {body}");
        }

        using var json = JsonDocument.Parse(body);
        var data = json.RootElement.GetProperty("data");
        var result = data.GetProperty("result");
        var sample = data.GetProperty("resultType").GetString() switch
        {
            "vector" when result.GetArrayLength() > 0 => result[0].GetProperty("value"),
            "scalar" => result,
            _ => (JsonElement?)null,
        };
        return sample is { } s ? double.Parse(s[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Kills Prometheus (and any child) and deletes a temp folder it created.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        _http.Dispose();
        if (_ownsDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the temp folder is cleaned up by the OS eventually.
            }
        }
    }

    private static string Config(Uri metricsUrl, PrometheusRunnerOptions options) => $"""
        global:
          scrape_interval: {GoDuration(options.ScrapeInterval)}
          evaluation_interval: {GoDuration(options.ScrapeInterval)}
        scrape_configs:
          - job_name: '{options.JobName}'
            scrape_interval: {GoDuration(options.ScrapeInterval)}
            metrics_path: '{metricsUrl.AbsolutePath}'
            scheme: {metricsUrl.Scheme}
            static_configs:
              - targets: ['{metricsUrl.Authority}']
        """;

    private static string GoDuration(TimeSpan span) =>
        span.Milliseconds == 0
            ? $"{((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s"
            : $"{((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > KeptLogLines && _log.TryDequeue(out _))
        {
        }
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(Url, "-/ready"), cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    // Ready (/-/ready) is not enough for queries to see data: also wait until up{job} reports a successful scrape.
    private async Task WaitUntilScrapedAsync(CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var deadline = time.GetUtcNow() + _options.StartTimeout;
        var ready = false;
        while (time.GetUtcNow() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}: {string.Join(Environment.NewLine, _log)}");
            }

            try
            {
                ready = ready || await IsReadyAsync(cancellationToken).ConfigureAwait(false);
                if (ready && await QueryAsync($"up{{job=\"{_options.JobName}\"}}", cancellationToken).ConfigureAwait(false) == 1)
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
                // A request timed out while Prometheus was starting; try again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException(
            $"Prometheus at {Url} was not ready with a successful scrape of job '{_options.JobName}' within {_options.StartTimeout}: {string.Join(Environment.NewLine, _log)}");
    }
}
