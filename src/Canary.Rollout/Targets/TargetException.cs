namespace Canary.Rollout.Targets;

/// <summary>The target cannot be rolled out right now (missing, no selector label, missing config); the message is the event text.</summary>
public sealed class TargetException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TargetException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TargetException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TargetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
