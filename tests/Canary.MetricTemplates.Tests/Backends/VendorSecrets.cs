using System.Text;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>A MetricTemplate Secret's data as the controller reads it.</summary>
internal static class VendorSecrets
{
    public static Dictionary<string, byte[]> Of(params (string Key, string Value)[] data) =>
        data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value));
}
