using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Canary.Sandbox.Demo;

/// <summary>
/// Keeps the in-process controller's recent log lines in memory: its console output would bury the story's live lines,
/// yet a story that goes wrong should show what the controller said.
/// </summary>
public sealed class DemoLogSink : ILoggerProvider
{
    private const int Kept = 500;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TimeProvider _time;

    /// <summary>Creates a sink stamping lines with <paramref name="time"/>.</summary>
    public DemoLogSink(TimeProvider time) => _time = time;

    /// <summary>The most recent lines, oldest first.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > Kept && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(DemoLogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // Framework chatter only when it matters; the controller's own lines from Information up.
        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= (category.StartsWith("Microsoft", StringComparison.Ordinal) || category.StartsWith("System", StringComparison.Ordinal)
                ? LogLevel.Warning
                : LogLevel.Information);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var at = sink._time.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            var text = $"{at} {logLevel} {category}: {formatter(state, exception)}";
            sink.Add(exception is null ? text : $"{text} :: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
