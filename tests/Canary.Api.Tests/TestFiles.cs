namespace Canary.Api.Tests;

/// <summary>Locates test data and the repository root.</summary>
internal static class TestFiles
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Canary.sln not found above {AppContext.BaseDirectory}.");
    }
}
