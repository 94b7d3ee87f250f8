using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Canary.Providers.Tests.Support;

/// <summary>
/// Golden files under Golden/&lt;provider&gt;/&lt;case&gt;.json, compared semantically (member order ignored, array order
/// kept). Set UPDATE_GOLDEN=1 to rewrite them, then review the diff like any other code change.
/// </summary>
internal static class Golden
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void AssertMatches(string provider, string name, JsonNode actual, [CallerFilePath] string caller = "")
    {
        var path = Path.Combine(ProjectDirectory(caller), "Golden", provider, name + ".json");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual.ToJsonString(Indented) + "\n");
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run with UPDATE_GOLDEN=1 and review it");
        var expected = JsonNode.Parse(File.ReadAllText(path));
        var difference = FirstDifference(expected, actual, "$");
        Assert.True(difference is null, $"{provider}/{name}: {difference}\nactual:\n{actual.ToJsonString(Indented)}");
    }

    /// <summary>Any KubernetesClient model, serialised as the client sends it.</summary>
    public static JsonNode Of<T>(T value) => JsonNode.Parse(KubernetesJson.Serialize(value))!;

    internal static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    if (!a.ContainsKey(key))
                    {
                        return $"{path}.{key}: missing";
                    }

                    if (FirstDifference(value, a[key], $"{path}.{key}") is { } inner)
                    {
                        return inner;
                    }
                }

                return a.Select(p => p.Key).FirstOrDefault(k => !e.ContainsKey(k)) is { } extra ? $"{path}.{extra}: unexpected" : null;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    return $"{path}: expected {e.Count} items, got {a.Count}";
                }

                for (var i = 0; i < e.Count; i++)
                {
                    if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(expected, actual)
                    ? null
                    : $"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}";
        }
    }

    private static string ProjectDirectory(string caller)
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(caller)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Canary.Providers.Tests.csproj")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("test project directory not found");
    }
}
