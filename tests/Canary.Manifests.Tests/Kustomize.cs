using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Canary.Manifests.Tests;

/// <summary>Renders a kustomization with the real kubectl and parses the documents it prints.</summary>
internal static class Kustomize
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static IReadOnlyList<YamlMappingNode> Render(string relativeDir)
    {
        var output = RunKubectl("kustomize", Path.Combine(RepoRoot, relativeDir));
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    public static string RunKubectl(params string[] args)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl {string.Join(' ', args)} failed ({process.ExitCode}): {stderr}");
        }

        return stdout.Result;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Canary.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Small accessors over YamlDotNet's node model, so tests read like the YAML they check.</summary>
internal static class YamlNav
{
    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Str(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Seq(this YamlNode node, params string[] path) =>
        node.At(path) is YamlSequenceNode seq ? seq.Children : [];

    public static string Kind(this YamlNode node) => node.Str("kind") ?? "";

    public static string Name(this YamlNode node) => node.Str("metadata", "name") ?? "";
}
