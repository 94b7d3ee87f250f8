using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Canary.E2E.Infrastructure;

/// <summary>
/// Keeps the controller's recent log lines in memory (console output of several parallel controllers is unreadable),
/// so a failing scenario can print them. <c>E2E_LOG=1</c> also echoes them to stdout.
/// </summary>
public sealed class LogSink : ILoggerProvider
{
    private const int Kept = 2000;
    private static readonly bool Echo = Environment.GetEnvironmentVariable("E2E_LOG") == "1";
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The most recent lines, oldest first; with <paramref name="containing"/>, only lines holding that text.</summary>
    public IReadOnlyList<string> Lines(string? containing = null) =>
        [.. _lines.Where(l => containing is null || l.Contains(containing, StringComparison.Ordinal))];

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

        if (Echo)
        {
            Console.WriteLine(line);
        }
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= (category.StartsWith("Microsoft", StringComparison.Ordinal) || category.StartsWith("System", StringComparison.Ordinal) ? LogLevel.Warning : LogLevel.Debug);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var time = DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            var text = $"{time} {logLevel} {category}: {formatter(state, exception)}";
            sink.Add(exception is null ? text : $"{text} :: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
