using System.Runtime.CompilerServices;

namespace Canary.Cli.Tests.Offline;

/// <summary>
/// Where the offline tests' inputs and golden files live (in the source tree, next to this file), and the golden
/// comparison: Golden/&lt;command&gt;/&lt;name&gt; must equal what the command printed. Set UPDATE_GOLDEN=1 to rewrite them,
/// then review the diff like any other code change.
/// </summary>
internal static class OfflineFiles
{
    /// <summary>tests/Canary.Cli.Tests/Offline in the source tree: the working directory of the runs, so paths print short.</summary>
    public static string Directory { get; } = Here();

    /// <summary>The repository root (the folder holding Canary.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot(Directory);

    /// <summary>True when golden files are being rewritten.</summary>
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    /// <summary>A path under <see cref="Directory"/>.</summary>
    public static string PathOf(string relative) => Path.Combine(Directory, relative);

    /// <summary>Asserts that <paramref name="actual"/> equals Golden/<paramref name="name"/> (or rewrites it under UPDATE_GOLDEN=1).</summary>
    public static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(Directory, "Golden", name);
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Updating)
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run the tests with UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal), actual);
    }

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static string FindRoot(string start)
    {
        var dir = new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"no Canary.sln above {start}");
    }
}
