using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Canary.Controller.Dashboard;

/// <summary>The dashboard's page, script and styles, embedded in the controller (read-only file system, no CDN, no build step).</summary>
public static class DashboardAssets
{
    private static readonly FrozenDictionary<string, (byte[] Body, string ContentType)> Files = Load();

    /// <summary>The single page (the overview and each Canary's page are drawn by the script).</summary>
    public static IResult Page() => Asset("index.html");

    /// <summary>One embedded file, or 404.</summary>
    public static IResult Asset(string file) => Files.TryGetValue(file, out var asset)
        ? Results.Bytes(asset.Body, asset.ContentType)
        : Results.NotFound();

    private static FrozenDictionary<string, (byte[] Body, string ContentType)> Load()
    {
        const string Prefix = "dashboard/";
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[Prefix.Length..];
            files[file] = (copy.ToArray(), ContentTypeOf(file));
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
