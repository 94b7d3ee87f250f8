namespace Canary.Controller.LeaderElection;

/// <summary>Whether this replica may reconcile.</summary>
public interface ILeadership
{
    /// <summary>True while this replica leads.</summary>
    bool IsLeader { get; }

    /// <summary>This replica's identity.</summary>
    string Identity { get; }

    /// <summary>Completes when this replica becomes leader.</summary>
    Task WaitForLeadershipAsync(CancellationToken cancellationToken);
}

/// <summary>Leader election turned off: the single replica always leads.</summary>
public sealed class AlwaysLeader : ILeadership
{
    /// <inheritdoc />
    public bool IsLeader => true;

    /// <inheritdoc />
    public string Identity { get; } = Environment.MachineName;

    /// <inheritdoc />
    public Task WaitForLeadershipAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
