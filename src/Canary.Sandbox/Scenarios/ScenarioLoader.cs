namespace Canary.Sandbox.Scenarios;

/// <summary>Collects scenarios from files and folders (every *.yaml / *.yml of a folder, sorted by name), with unique names.</summary>
public static class ScenarioLoader
{
    /// <summary>Parses every scenario under <paramref name="paths"/>; throws <see cref="ScenarioFormatException"/> on the first problem.</summary>
    public static async Task<IReadOnlyList<Scenario>> LoadAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var scenarios = new List<Scenario>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Files(paths))
        {
            var scenario = await ScenarioParser.ParseFileAsync(file, cancellationToken).ConfigureAwait(false);
            if (!names.TryAdd(scenario.Name, file))
            {
                throw new ScenarioFormatException(file, "name", $"'{scenario.Name}' is already the name of {names[scenario.Name]}");
            }

            scenarios.Add(scenario);
        }

        return scenarios;
    }

    private static List<string> Files(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    throw new ScenarioFormatException(path, string.Empty, "folder holds no *.yaml scenario files");
                }

                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new ScenarioFormatException(path, string.Empty, "no such file or folder");
            }
        }

        return files;
    }
}
