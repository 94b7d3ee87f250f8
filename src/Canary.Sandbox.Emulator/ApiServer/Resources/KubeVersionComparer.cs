using System.Globalization;
using System.Text.RegularExpressions;

namespace Canary.Sandbox.ApiServer.Resources;

/// <summary>Orders API versions the way Kubernetes prefers them: v2 before v1 before v1beta2 before v1alpha1 before others.</summary>
internal sealed partial class KubeVersionComparer : IComparer<string>
{
    public static readonly KubeVersionComparer Instance = new();

    /// <summary>Negative when x is preferred over y.</summary>
    public int Compare(string? x, string? y)
    {
        var (kx, mx, nx) = Rank(x ?? string.Empty);
        var (ky, my, ny) = Rank(y ?? string.Empty);
        if (kx != ky)
        {
            return ky.CompareTo(kx);
        }

        if (kx == 0)
        {
            return string.CompareOrdinal(x, y);
        }

        return mx != my ? my.CompareTo(mx) : ny.CompareTo(nx);
    }

    // Kind rank: 3 = GA, 2 = beta, 1 = alpha, 0 = not a Kubernetes-style version.
    private static (int Kind, int Major, int Minor) Rank(string v)
    {
        var m = VersionPattern().Match(v);
        if (!m.Success)
        {
            return (0, 0, 0);
        }

        var major = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (!m.Groups[2].Success)
        {
            return (3, major, 0);
        }

        var minor = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        return (m.Groups[2].Value == "beta" ? 2 : 1, major, minor);
    }

    [GeneratedRegex(@"^v(\d+)(?:(alpha|beta)(\d+))?$")]
    private static partial Regex VersionPattern();
}
