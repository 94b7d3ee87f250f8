using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Canary.Rollout.Tests.Targets;

/// <summary>
/// Golden files under Golden/targets/&lt;case&gt;.json, compared as JSON (member order ignored). Set UPDATE_GOLDEN=1 to
/// rewrite them, then review the diff like any other code change.
/// </summary>
internal static class Golden
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void AssertMatches<T>(string name, T value, [CallerFilePath] string caller = "")
    {
        var actual = JsonNode.Parse(KubernetesJson.Serialize(value))!;
        var dir = Path.GetDirectoryName(Path.GetDirectoryName(caller))!;
        var path = Path.Combine(dir, "Golden", "targets", name + ".json");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual.ToJsonString(Indented) + "\n");
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run with UPDATE_GOLDEN=1 and review it");
        var expected = JsonNode.Parse(File.ReadAllText(path));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{name} differs from its golden file\nactual:\n{actual.ToJsonString(Indented)}");
    }
}
