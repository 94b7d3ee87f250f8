namespace Canary.Rollout.Revisions;

/// <summary>A mandatory ConfigMap/Secret referenced by the target is missing; the tick waits (Warning event) until it exists.</summary>
public sealed class ConfigTrackingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigTrackingException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConfigTrackingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ConfigTrackingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
