namespace Canary.Sandbox.Prometheus;

/// <summary>How a <see cref="PrometheusRunner"/> starts Prometheus.</summary>
public sealed record PrometheusRunnerOptions
{
    /// <summary>Debian's binary (scripts/setup.sh installs it); the PROMETHEUS_BINARY environment variable overrides the default.</summary>
    public string Binary { get; init; } = Environment.GetEnvironmentVariable("PROMETHEUS_BINARY") ?? "/usr/bin/prometheus";

    /// <summary>Folder for prometheus.yml and the TSDB; null creates a temp folder, deleted on dispose.</summary>
    public string? Directory { get; init; }

    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Scrape and rule evaluation interval.</summary>
    public TimeSpan ScrapeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>TSDB retention (the sandbox only needs recent data).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Job name of the scrape config.</summary>
    public string JobName { get; init; } = "canary-sandbox-traffic";

    /// <summary>How long to wait for readiness and the first scrape.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Clock for the start deadline and polling.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
