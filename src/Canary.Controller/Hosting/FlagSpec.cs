namespace Canary.Controller.Hosting;

/// <summary>One command-line flag: its name, help, the environment variable that can supply it, and how its
/// text value is applied to <see cref="ControllerOptions"/> (throwing <see cref="FormatException"/> on a bad value).</summary>
/// <param name="Name">The flag, e.g. <c>--threadiness</c>.</param>
/// <param name="Description">Help text.</param>
/// <param name="IsSwitch">A boolean that may be given without a value (<c>--enable-leader-election</c>).</param>
/// <param name="Apply">Applies the raw text value.</param>
public sealed record FlagSpec(string Name, string Description, bool IsSwitch, Func<ControllerOptions, string, ControllerOptions> Apply)
{
    /// <summary>The environment variable for this flag: <c>CANARY_</c> + the flag in upper snake case.</summary>
    public string EnvironmentVariable => "CANARY_" + Name.TrimStart('-').Replace('-', '_').ToUpperInvariant();
}
