namespace Canary.Controller.Reconciliation;

/// <summary>Identifies one Canary: the work queue's key.</summary>
/// <param name="Namespace">The Canary's namespace.</param>
/// <param name="Name">The Canary's name.</param>
public readonly record struct CanaryKey(string Namespace, string Name)
{
    /// <summary>Parses <c>namespace/name</c>.</summary>
    public static CanaryKey Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == value.Length - 1
            ? throw new FormatException($"'{value}' is not namespace/name.")
            : new CanaryKey(value[..slash], value[(slash + 1)..]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Namespace}/{Name}";
}
