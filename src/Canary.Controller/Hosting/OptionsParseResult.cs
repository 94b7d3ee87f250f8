namespace Canary.Controller.Hosting;

/// <summary>The outcome of reading flags and environment: options, or errors that each name the flag at fault.</summary>
/// <param name="Options">The options; meaningful only when <see cref="Errors"/> is empty.</param>
/// <param name="Errors">One message per bad flag or value.</param>
/// <param name="HelpText">Set when help was asked for (then nothing else is done).</param>
public sealed record OptionsParseResult(ControllerOptions Options, IReadOnlyList<string> Errors, string? HelpText)
{
    /// <summary>True when the options can be used.</summary>
    public bool IsValid => Errors.Count == 0 && HelpText is null;
}
