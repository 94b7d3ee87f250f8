namespace Canary.Api.Vocabulary;

/// <summary>Severity of an alert, from least to most severe.</summary>
public enum AlertSeverity
{
    /// <summary>Progress worth knowing: initialization, new revision, promotion.</summary>
    Info,

    /// <summary>Needs attention: waiting for approval, manual rollback.</summary>
    Warn,

    /// <summary>The rollout failed: threshold reached, deadline exceeded, promotion failed.</summary>
    Error,
}
