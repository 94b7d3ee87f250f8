using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Canary.MetricTemplates.Tests.Fixtures;

/// <summary>
/// A real Prometheus (Debian's /usr/bin/prometheus, see scripts/setup.sh) on 127.0.0.1 and a free port, with its
/// config and TSDB in a temp directory, scraping the given targets every second. Reusable by any test project.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string DefaultBinary = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _directory;

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    /// <summary>Starts Prometheus scraping <paramref name="targets"/> (host:port, path /metrics) and waits until it answers queries.</summary>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<string> targets, CancellationToken cancellationToken = default)
    {
        var binary = Environment.GetEnvironmentVariable("PROMETHEUS_BINARY") ?? DefaultBinary;
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"{binary} not found: run scripts/setup.sh (apt-get install --no-install-recommends prometheus)");
        }

        var directory = Directory.CreateTempSubdirectory("canary-prometheus-").FullName;
        var config = $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: test
                scrape_interval: 1s
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """;
        await File.WriteAllTextAsync(Path.Combine(directory, "prometheus.yml"), config, cancellationToken);

        var port = FreePort.Next();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={Path.Combine(directory, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=1h",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");

        // Drain the pipes so a chatty Prometheus never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new PrometheusServer(process, directory, port);
        await server.WaitUntilReadyAsync(cancellationToken);
        return server;
    }

    /// <summary>Polls an instant query until it returns a non-empty result (readiness, not a timing assertion).</summary>
    public async Task WaitForDataAsync(string query, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var uri = new Uri(Address, "/api/v1/query?query=" + Uri.EscapeDataString(query));
                var json = await http.GetFromJsonAsync<JsonElement>(uri, cancellationToken);
                if (json.GetProperty("data").GetProperty("result").GetArrayLength() > 0)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"Prometheus at {Address} returned no data for '{query}' within {timeout}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/-/ready"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"Prometheus at {Address} not ready within 30s");
    }
}
