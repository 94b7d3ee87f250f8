using Canary.Api.Crd;

// Usage: dotnet run --project src/Canary.CrdGen -- <output-dir>   (the repository's CRDs live in manifests/crds)
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: Canary.CrdGen <output-dir>");
    return 2;
}

foreach (var path in CrdGenerator.CreateDefault().WriteAll(args[0]))
{
    Console.WriteLine($"wrote {path}");
}

return 0;
