using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Canary.Api.Serialization;
using Canary.Api.Support;
using Canary.Api.V1Beta1;
using Canary.Cli.Commands.Offline.Documents;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Commands.Offline.Lint;

/// <summary>One problem found by <c>lint</c>.</summary>
/// <param name="File">The file, as given (or found under the folder given).</param>
/// <param name="Document">1-based document in the file.</param>
/// <param name="Kind">The document's kind, when known.</param>
/// <param name="Name">Its metadata.name, when set.</param>
/// <param name="Field">Field path as the validator names it; null for a YAML syntax error.</param>
/// <param name="Message">What is wrong (with line and column for a syntax error).</param>
internal sealed record LintFinding(
    string File,
    int Document,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Field,
    string Message)
{
    /// <summary><c>FILE:DOC: FIELD.PATH: message</c>.</summary>
    public override string ToString() => Field is null ? $"{File}:{Document}: {Message}" : $"{File}:{Document}: {Field}: {Message}";
}

/// <summary>What <c>lint</c> found in a set of files.</summary>
/// <param name="Documents">Non-empty documents read.</param>
/// <param name="Checked">Documents of the canary.dev (or flagger.app) API among them.</param>
/// <param name="Findings">Every problem, in file and document order.</param>
internal sealed record LintReport(int Documents, int Checked, IReadOnlyList<LintFinding> Findings);

/// <summary>
/// The controller's validation, offline: each Canary, MetricTemplate and AlertProvider (canary.dev/v1beta1, or Flagger's
/// flagger.app/v1beta1 read as one) goes through <see cref="ApiObjects.Validate"/> with the controller's registries;
/// fields the API does not know are reported too (the API server would drop them, kubectl apply refuses them).
/// </summary>
internal static class Linter
{
    /// <summary>Kinds of canary.dev/v1beta1.</summary>
    public static readonly IReadOnlyList<string> CanaryDevKinds = [CanaryResource.KubeKind, MetricTemplate.KubeKind, AlertProvider.KubeKind, CanaryRequest.KubeKind];

    /// <summary>Lints every document of <paramref name="streams"/> for a controller implementing <paramref name="support"/>.</summary>
    public static LintReport Lint(IEnumerable<ManifestStream> streams, ApiSupport support)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var findings = new List<LintFinding>();
        var documents = 0;
        var checkedCount = 0;
        foreach (var stream in streams)
        {
            foreach (var document in stream.Documents.Where(d => d.Node is not null))
            {
                documents++;
                var problems = Check(document, support);
                if (problems is null)
                {
                    continue;
                }

                checkedCount++;
                findings.AddRange(problems.Select(p => new LintFinding(stream.Source, document.Index, document.Kind, document.Name, p.Field, p.Message)));
            }

            if (stream.Error is { } error)
            {
                findings.Add(new LintFinding(stream.Source, error.Document, null, null, null, error.Located));
            }
        }

        return new LintReport(documents, checkedCount, findings);
    }

    // Null: not a document of the API (not checked).
    private static IReadOnlyList<(string Field, string Message)>? Check(ManifestDocument document, ApiSupport support)
    {
        if (document.Node is not JsonObject node || !ApiObjects.IsCanaryApi(document.ApiVersion))
        {
            return null;
        }

        var kind = ApiObjects.KindOf(document);
        if (kind == ApiKind.Other)
        {
            if (document.ApiVersion == CanaryApi.ApiVersion && document.Kind == CanaryRequest.KubeKind)
            {
                return [.. Unknown<CanaryRequest>(node, document)];
            }

            var kinds = document.ApiVersion == CanaryApi.ApiVersion ? CanaryDevKinds : CanaryDevKinds.Take(3).ToList();
            return [("kind", $"'{document.Kind}' is not a kind of {document.ApiVersion}; kinds: {string.Join(", ", kinds)}")];
        }

        var unknown = kind switch
        {
            ApiKind.Canary => Unknown<CanaryResource>(node, document),
            ApiKind.MetricTemplate => Unknown<MetricTemplate>(node, document),
            _ => Unknown<AlertProvider>(node, document),
        };
        return [.. ApiObjects.Validate(document, support).Select(e => (e.Path, e.Message)), .. unknown];
    }

    // Members the API types drop; a value that cannot be read at all is reported by the validation (or here, for kinds without one).
    private static IEnumerable<(string Field, string Message)> Unknown<T>(JsonObject node, ManifestDocument document)
        where T : class
    {
        if (ApiObjects.Read<T>(node, out var error) is not { } typed)
        {
            return typeof(T) == typeof(CanaryRequest) && error is not null ? [(error.Path, error.Message)] : [];
        }

        var roundTrip = JsonSerializer.SerializeToNode(typed, CanaryJson.Options);
        return UnknownFields.Find(node, roundTrip).Select(u => (u.Path, $"is not a field of {CanaryApi.ApiVersion} {document.Kind}"));
    }
}
