using System.Globalization;
using System.Text.RegularExpressions;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Reads a Kubernetes <c>resource.Quantity</c> as a number: a decimal with an optional suffix, binary (<c>Ki</c>..<c>Ei</c>),
/// decimal SI (<c>n</c>, <c>u</c>, <c>m</c>, <c>k</c>, <c>M</c>..<c>E</c>) or an exponent (<c>e3</c>, <c>E-2</c>).
/// SMI TrafficSplit v1alpha1 weights are quantities ("90", "500m").
/// </summary>
internal static partial class KubernetesQuantity
{
    public static double? Parse(string? text)
    {
        var match = Grammar().Match(text?.Trim() ?? string.Empty);
        if (!match.Success)
        {
            return null;
        }

        var number = double.Parse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var suffix = match.Groups["suffix"].Value;
        return number * suffix switch
        {
            "" => 1,
            "n" => 1e-9,
            "u" => 1e-6,
            "m" => 1e-3,
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "T" => 1e12,
            "P" => 1e15,
            "E" => 1e18,
            "Ki" => Math.Pow(1024, 1),
            "Mi" => Math.Pow(1024, 2),
            "Gi" => Math.Pow(1024, 3),
            "Ti" => Math.Pow(1024, 4),
            "Pi" => Math.Pow(1024, 5),
            "Ei" => Math.Pow(1024, 6),
            // e/E followed by a signed integer exponent.
            _ => Math.Pow(10, int.Parse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        };
    }

    // The exponent form is tried before the lone "E" (exa): "1E3" is a thousand, "1E" an exa.
    [GeneratedRegex(@"^(?<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?<suffix>[eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
