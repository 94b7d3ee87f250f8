using System.CommandLine;
using System.Globalization;
using Canary.Cli.Commands.Offline.Documents;
using Canary.Cli.Output;
using Canary.Rollout.Engine;

namespace Canary.Cli.Commands.Offline.Lint;

/// <summary>
/// <c>lint FILE|DIR</c>: the controller's validation, offline, one line per problem (<c>FILE:DOC: FIELD.PATH: message</c>).
/// Exit 1 when anything is refused or cannot be read, 0 otherwise.
/// </summary>
internal static class LintCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("FILE|DIR")
        {
            Description = "A YAML file, a folder (every *.yaml and *.yml file under it) or - for stdin",
        };
        var output = OutputOption.Create();
        var meshProvider = MeshProviderOption.Create();
        var command = new Command(
            "lint",
            "Check Canaries, MetricTemplates and AlertProviders offline with the controller's own validation: every field it would "
            + "refuse, fields the API does not know and YAML syntax errors, as FILE:DOC: FIELD.PATH: message.")
        {
            path, output, meshProvider,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(path)!, parse.GetValue(output), parse.GetValue(meshProvider)!, parse.InvocationConfiguration, ct));
        return command;
    }

    private static async Task<int> RunAsync(string path, OutputFormat format, string meshProvider, InvocationConfiguration io, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> files;
        if (path != ManifestReader.Stdin && Directory.Exists(path))
        {
            files = ManifestReader.FilesUnder(path);
        }
        else if (path == ManifestReader.Stdin || File.Exists(path))
        {
            files = [path];
        }
        else
        {
            await io.Error.WriteLineAsync($"lint: {path}: no such file or folder").ConfigureAwait(false);
            return 1;
        }

        var streams = new List<ManifestStream>();
        foreach (var file in files)
        {
            try
            {
                streams.Add(await ManifestReader.ReadAsync(file, Console.In, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                streams.Add(new ManifestStream(file, [], new ManifestError(1, 1, 1, $"cannot read: {e.Message}")));
            }
        }

        var report = Linter.Lint(streams, ControllerSupport.For(meshProvider));
        if (format != OutputFormat.Text)
        {
            StructuredOutput.Write(io.Output, report.Findings, format);
            return report.Findings.Count == 0 ? 0 : 1;
        }

        foreach (var finding in report.Findings)
        {
            await io.Output.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
        }

        var documents = string.Create(CultureInfo.InvariantCulture, $"{report.Documents} document{(report.Documents == 1 ? string.Empty : "s")}");
        var skipped = report.Documents - report.Checked;
        var others = skipped == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({skipped} of other kinds, not checked)");
        var errors = report.Findings.Count == 0
            ? "no errors"
            : string.Create(CultureInfo.InvariantCulture, $"{report.Findings.Count} error{(report.Findings.Count == 1 ? string.Empty : "s")}");
        await io.Output.WriteLineAsync($"{documents}, {errors}{others}").ConfigureAwait(false);
        return report.Findings.Count == 0 ? 0 : 1;
    }
}
