using System.Globalization;
using System.Text;
using Canary.Api.V1Beta1;

namespace Canary.Api.Vocabulary;

/// <summary>
/// The payload <c>checksum</c>: a port of Flagger's <c>canaryChecksum</c> = <c>ComputeHash(struct{TrackedConfigs *map[string]string; LastAppliedSpec string})</c>,
/// i.e. FNV-32a over go-spew's <c>%#v</c> rendering of those two status fields, printed in decimal and mapped through
/// <c>rand.SafeEncodeString</c>. Reproduced byte for byte so receivers that compare checksums across Flagger and Canary agree.
/// </summary>
public static class CanaryChecksum
{
    // k8s.io/apimachinery/pkg/util/rand: vowels and look-alikes removed so the result never spells words.
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private const string StructType = "struct { TrackedConfigs *map[string]string; LastAppliedSpec string }";

    /// <summary>Checksum of the revision under test, from <c>status.trackedConfigs</c> and <c>status.lastAppliedSpec</c>.</summary>
    public static string Compute(CanaryStatus? status) => Compute(status?.TrackedConfigs, status?.LastAppliedSpec);

    /// <summary>Checksum of explicit values; a null map and an empty map hash differently, as in Flagger (nil pointer vs empty map).</summary>
    public static string Compute(IDictionary<string, string>? trackedConfigs, string? lastAppliedSpec) =>
        SafeEncode(Fnv32a(SpewFormat(trackedConfigs, lastAppliedSpec)).ToString(CultureInfo.InvariantCulture));

    /// <summary>go-spew <c>%#v</c> of the anonymous struct: type in parentheses, field names, map keys sorted, strings unquoted.</summary>
    internal static string SpewFormat(IDictionary<string, string>? trackedConfigs, string? lastAppliedSpec)
    {
        var text = new StringBuilder();
        text.Append('(').Append(StructType).Append("){TrackedConfigs:(*map[string]string)");
        if (trackedConfigs is null)
        {
            text.Append("<nil>");
        }
        else
        {
            text.Append("map[");
            var first = true;
            foreach (var key in trackedConfigs.Keys.Order(StringComparer.Ordinal))
            {
                if (!first)
                {
                    text.Append(' ');
                }

                first = false;
                text.Append(key).Append(':').Append(trackedConfigs[key]);
            }

            text.Append(']');
        }

        text.Append(" LastAppliedSpec:(string)").Append(lastAppliedSpec ?? string.Empty).Append('}');
        return text.ToString();
    }

    private static uint Fnv32a(string text)
    {
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= prime;
        }

        return hash;
    }

    private static string SafeEncode(string digits) =>
        string.Create(digits.Length, digits, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = SafeAlphabet[source[i] % SafeAlphabet.Length];
            }
        });
}
