using System.Text.Json;
using Canary.Api.Serialization;
using Canary.Fuzzing;
using CsCheck;

namespace Canary.E2E.Infrastructure;

/// <summary>
/// Field-by-field mutations of a valid API object that the controller can still read: the API server's structural schema
/// refuses the others (the sandbox does not enforce CRD schemas, so they are not sent).
/// </summary>
public static class ReadableMutations
{
    /// <summary><paramref name="count"/> mutations of <paramref name="valid"/>, the same for a given CsCheck <paramref name="seed"/>.</summary>
    public static JsonMutation[] Of<T>(T valid, int count, string seed)
    {
        var json = JsonSerializer.SerializeToNode(valid, CanaryJson.Options)!.AsObject();
        return JsonMutations.Of(json).Where(Parses<T>).Array[count].Single(_ => true, seed);
    }

    private static bool Parses<T>(JsonMutation mutation)
    {
        try
        {
            CanaryJson.Deserialize<T>(mutation.Document.ToJsonString());
            return true;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return false;
        }
    }
}
