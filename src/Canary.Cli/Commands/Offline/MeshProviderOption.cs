using System.CommandLine;
using Canary.Providers.Registry;

namespace Canary.Cli.Commands.Offline;

/// <summary>
/// <c>--mesh-provider</c>: the controller's default traffic provider, which a Canary without <c>spec.provider</c> uses
/// (same name and default as the controller's flag).
/// </summary>
internal static class MeshProviderOption
{
    /// <summary>The controller's default <c>--mesh-provider</c>.</summary>
    public const string Default = "istio";

    /// <summary>A new option, checked against the implemented providers.</summary>
    public static Option<string> Create()
    {
        var option = new Option<string>("--mesh-provider")
        {
            Description = $"The controller's --mesh-provider: the traffic provider of Canaries without spec.provider (default {Default})",
            DefaultValueFactory = _ => Default,
        };
        option.Validators.Add(result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : Default;
            if (TrafficProviderRegistry.Default.Find(value) is null)
            {
                result.AddError($"--mesh-provider: '{value}' is not one of the implemented providers: {string.Join(", ", TrafficProviderRegistry.Default.Names)}");
            }
        });
        return option;
    }
}
