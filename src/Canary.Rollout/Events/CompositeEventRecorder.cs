using Canary.Rollout.StateMachine;
using Microsoft.Extensions.Logging;

namespace Canary.Rollout.Events;

/// <summary>Logs every event and fans it out to several recorders; a failing recorder never stops the rollout.</summary>
public sealed partial class CompositeEventRecorder(IEnumerable<IEventRecorder> recorders, ILogger<CompositeEventRecorder> logger) : IEventRecorder
{
    /// <inheritdoc />
    public async Task RecordAsync(CanaryResource canary, RolloutEvent rolloutEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(rolloutEvent);
        var name = $"{canary.Metadata.Name}.{canary.Metadata.NamespaceProperty}";
        LogEvent(logger, name, rolloutEvent.Severity, rolloutEvent.Message);
        foreach (var recorder in recorders)
        {
            try
            {
                await recorder.RecordAsync(canary, rolloutEvent, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // events are best effort: losing one must not fail the tick
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogFailure(logger, name, recorder.GetType().Name, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "canary {Canary}: {Severity} {Message}")]
    private static partial void LogEvent(ILogger logger, string canary, EventSeverity severity, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "canary {Canary}: event recorder {Recorder} failed")]
    private static partial void LogFailure(ILogger logger, string canary, string recorder, Exception exception);
}
