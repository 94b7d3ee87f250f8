using Microsoft.Extensions.Logging;

namespace Canary.Controller.Informers;

/// <summary>Log messages of the informers.</summary>
internal static partial class InformerLog
{
    [LoggerMessage(1001, LogLevel.Information, "Listed {Kind}: {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string kind, int count, string resourceVersion);

    [LoggerMessage(1002, LogLevel.Information, "Resource version of {Kind} expired (410 Gone); relisting")]
    public static partial void Expired(ILogger logger, string kind);

    [LoggerMessage(1003, LogLevel.Warning, "{Kind} is not served by the API server (CRD not installed?); looking again {Retry}")]
    public static partial void NotServed(ILogger logger, string kind, string retry);

    [LoggerMessage(1004, LogLevel.Warning, "List/watch of {Kind} failed (attempt {Attempt}); retrying in {Delay}")]
    public static partial void Failed(ILogger logger, Exception exception, string kind, int attempt, TimeSpan delay);

    [LoggerMessage(1005, LogLevel.Debug, "Watch of {Kind} ended at resourceVersion {ResourceVersion}; resuming")]
    public static partial void WatchEnded(ILogger logger, string kind, string resourceVersion);

    [LoggerMessage(1006, LogLevel.Error, "An event handler of {Kind} threw")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string kind);

    [LoggerMessage(1007, LogLevel.Warning, "Watch of {Kind} was silent past its timeout; reconnecting")]
    public static partial void Watchdog(ILogger logger, string kind);
}
