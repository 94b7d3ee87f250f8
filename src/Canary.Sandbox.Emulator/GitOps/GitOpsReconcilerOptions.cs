using System.Text;

namespace Canary.Sandbox.GitOps;

/// <summary>How a <see cref="GitOpsReconciler"/> reconciles one directory, as one Flux Kustomization would.</summary>
public sealed record GitOpsReconcilerOptions
{
    /// <summary>The directory of manifests (the Kustomization's source path); read recursively.</summary>
    public required string Directory { get; init; }

    /// <summary>Time between reconciles of <see cref="GitOpsReconciler.RunAsync(CancellationToken)"/> (Flux's default 1m, scaled down).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The Kustomization's name (owner label, inventory ConfigMap); default: the directory's name as a DNS label.</summary>
    public string? Name { get; init; }

    /// <summary>The Kustomization's namespace (owner label, where the inventory ConfigMap lives).</summary>
    public string Namespace { get; init; } = "flux-system";

    /// <summary>
    /// Keep the inventory in the ConfigMap <c>NAME-inventory</c> so a restarted reconciler still prunes; false keeps it in
    /// memory only (nothing is written besides the manifests' objects).
    /// </summary>
    public bool PersistInventory { get; init; } = true;

    /// <summary>Clock for the loop's waits and the inventory's timestamp.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Called for every create, apply, skip, prune and failure as it happens.</summary>
    public Action<GitOpsEvent>? OnEvent { get; init; }

    /// <summary>Called by the loop after each reconcile.</summary>
    public Action<GitOpsReconcileResult>? OnReconciled { get; init; }

    /// <summary>Called by the loop when a reconcile failed as a whole (directory gone, API server unreachable); the loop goes on.</summary>
    public Action<Exception>? OnError { get; init; }

    /// <summary>The effective Kustomization name.</summary>
    public string EffectiveName => Name is { Length: > 0 } name ? name : NameFromDirectory(Directory);

    private static string NameFromDirectory(string directory)
    {
        var leaf = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        var builder = new StringBuilder();
        foreach (var c in leaf.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-');
        }

        var name = builder.ToString().Trim('-');
        return name.Length == 0 ? "gitops" : name[..Math.Min(name.Length, 53)].TrimEnd('-');
    }
}
