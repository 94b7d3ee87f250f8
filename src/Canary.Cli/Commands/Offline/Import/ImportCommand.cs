using System.CommandLine;
using System.Globalization;
using Canary.Cli.Commands.Offline.Documents;

namespace Canary.Cli.Commands.Offline.Import;

/// <summary>
/// <c>import FILE|-</c>: Flagger YAML to canary.dev/v1beta1 on stdout, what changed and what could not carry over on
/// stderr. Exit 0 when everything carried over, 1 otherwise.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE")
        {
            Description = "Flagger YAML: any mix of documents, Canary, MetricTemplate and AlertProvider of flagger.app/v1beta1 converted, others passed through; - reads stdin",
        };
        var meshProvider = MeshProviderOption.Create();
        var command = new Command(
            "import",
            "Convert Flagger manifests (flagger.app/v1beta1) to canary.dev/v1beta1: YAML on stdout, what changed on stderr. Every field "
            + "is kept; where a default differs from Flagger's (revertOnDeletion, an interval under 10s, the alert user name) Flagger's "
            + "value is written so the behaviour is preserved; fields the API does not know and values the controller refuses are "
            + "reported by field path (exit 1).")
        {
            file, meshProvider,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(file)!, parse.GetValue(meshProvider)!, parse.InvocationConfiguration, ct));
        return command;
    }

    private static async Task<int> RunAsync(string file, string meshProvider, InvocationConfiguration io, CancellationToken cancellationToken)
    {
        ManifestStream stream;
        try
        {
            stream = await ManifestReader.ReadAsync(file, Console.In, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await io.Error.WriteLineAsync($"import: cannot read {file}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        if (stream.Error is { } error)
        {
            await io.Error.WriteLineAsync($"{file}:{error.Document}: {error.Located}").ConfigureAwait(false);
            return 1;
        }

        var result = FlaggerImporter.Convert(stream, meshProvider);
        await io.Output.WriteAsync(string.Join("---\n", result.Documents)).ConfigureAwait(false);
        foreach (var note in result.Notes)
        {
            await io.Error.WriteLineAsync(note.Problem ? $"error: {note}" : note.ToString()).ConfigureAwait(false);
        }

        var problems = result.Notes.Count(n => n.Problem);
        var summary = string.Create(CultureInfo.InvariantCulture, $"{result.Converted} converted, {result.PassedThrough} passed through");
        await io.Error.WriteLineAsync(problems == 0
            ? $"import: {summary}, everything carried over"
            : string.Create(CultureInfo.InvariantCulture, $"import: {summary}; {problems} problem{(problems == 1 ? string.Empty : "s")} (lines starting with error:)")).ConfigureAwait(false);
        return result.Failed ? 1 : 0;
    }
}
