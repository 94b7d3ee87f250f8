namespace Canary.Sandbox.GitOps;

/// <summary>Flux's well-known labels, annotations and field manager, as kustomize-controller uses them.</summary>
public static class FluxMetadata
{
    /// <summary>Field manager of kustomize-controller's server-side apply.</summary>
    public const string FieldManager = "kustomize-controller";

    /// <summary>Owner label: the name of the Kustomization that applied the object.</summary>
    public const string NameLabel = "kustomize.toolkit.fluxcd.io/name";

    /// <summary>Owner label: the namespace of the Kustomization that applied the object.</summary>
    public const string NamespaceLabel = "kustomize.toolkit.fluxcd.io/namespace";

    /// <summary>Annotation or label; <c>disabled</c> means never modified and never pruned.</summary>
    public const string Reconcile = "kustomize.toolkit.fluxcd.io/reconcile";

    /// <summary>Annotation or label; <c>IfNotPresent</c> creates only, <c>Ignore</c> is left alone like reconcile: disabled.</summary>
    public const string Ssa = "kustomize.toolkit.fluxcd.io/ssa";

    /// <summary>Annotation or label; <c>disabled</c> keeps the object when it leaves the source.</summary>
    public const string Prune = "kustomize.toolkit.fluxcd.io/prune";
}

/// <summary>What the reconciler did with one object.</summary>
public enum GitOpsAction
{
    /// <summary>The object did not exist and was created (server-side apply or ssa: IfNotPresent).</summary>
    Created,

    /// <summary>The object existed and was server-side applied (drift, if any, corrected).</summary>
    Applied,

    /// <summary>Left untouched: reconcile: disabled, ssa: Ignore, or ssa: IfNotPresent on an existing object.</summary>
    Skipped,

    /// <summary>In the previous inventory, gone from the source: deleted.</summary>
    Pruned,

    /// <summary>Gone from the source but left in the cluster (prune: disabled, reconcile: disabled, ssa: Ignore, no owner labels).</summary>
    PruneSkipped,

    /// <summary>The object could not be read, applied or deleted; <see cref="GitOpsEvent.Message"/> says why.</summary>
    Failed,
}

/// <summary>An object of the source or of the inventory: apiVersion, kind, namespace (null when cluster-scoped) and name.</summary>
public sealed record GitOpsObjectRef(string ApiVersion, string Kind, string? Namespace, string Name)
{
    /// <summary>API group; empty for the core group.</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    /// <summary>API version without the group.</summary>
    public string Version => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[(ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : ApiVersion;

    /// <summary>Flux's inventory id: <c>namespace_name_group_kind</c>.</summary>
    public string InventoryId => $"{Namespace}_{Name}_{Group}_{Kind}";

    /// <summary>Kind/namespace/name (kind/name when cluster-scoped), as shown in reports.</summary>
    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}

/// <summary>One thing the reconciler did (or could not do), reported as it happens.</summary>
public sealed record GitOpsEvent(GitOpsAction Action, GitOpsObjectRef Target, string? Message = null)
{
    public override string ToString() => Message is null ? $"{Action.ToString().ToLowerInvariant()} {Target}" : $"{Action.ToString().ToLowerInvariant()} {Target}: {Message}";
}

/// <summary>A failure that is not about one object (an unreadable manifest file).</summary>
public sealed record GitOpsSourceError(string File, string Message)
{
    public override string ToString() => $"{File}: {Message}";
}

/// <summary>The outcome of one reconcile.</summary>
public sealed record GitOpsReconcileResult
{
    /// <summary><c>sha256:</c> and the hex SHA-256 of the directory's manifest files (paths and contents).</summary>
    public required string Revision { get; init; }

    /// <summary>Every action, in order: applies first, then prunes.</summary>
    public required IReadOnlyList<GitOpsEvent> Events { get; init; }

    /// <summary>Manifest files that could not be read or parsed (pruning is skipped when there is any).</summary>
    public required IReadOnlyList<GitOpsSourceError> SourceErrors { get; init; }

    /// <summary>The inventory after this reconcile (what the next one prunes against).</summary>
    public required GitOpsInventory Inventory { get; init; }

    public int Created => Count(GitOpsAction.Created);

    public int Applied => Count(GitOpsAction.Applied);

    public int Skipped => Count(GitOpsAction.Skipped);

    public int Pruned => Count(GitOpsAction.Pruned);

    public int PruneSkipped => Count(GitOpsAction.PruneSkipped);

    public IEnumerable<GitOpsEvent> Failures => Events.Where(e => e.Action == GitOpsAction.Failed);

    /// <summary>True when every object was handled and every file parsed.</summary>
    public bool Succeeded => SourceErrors.Count == 0 && !Failures.Any();

    /// <summary>One line: revision and counts.</summary>
    public string Summary() =>
        $"revision {Revision}: applied {Applied}, created {Created}, skipped {Skipped}, pruned {Pruned}, failed {Failures.Count() + SourceErrors.Count}";

    private int Count(GitOpsAction action) => Events.Count(e => e.Action == action);
}
