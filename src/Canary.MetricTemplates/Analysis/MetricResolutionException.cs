namespace Canary.MetricTemplates.Analysis;

/// <summary>A metric cannot be turned into a runnable query; the message is the user-facing reason.</summary>
internal sealed class MetricResolutionException(string message, Exception? innerException = null)
    : Exception(message, innerException);
