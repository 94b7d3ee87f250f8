using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.Defaults;
using Canary.Api.Durations;
using Canary.Api.Serialization;
using Canary.Api.Support;
using Canary.Api.V1Beta1;
using Canary.Cli.Commands.Offline.Documents;
using Canary.Cli.Output;
using Canary.Rollout.Engine;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Commands.Offline.Import;

/// <summary>A line for people about one document of an import.</summary>
/// <param name="Subject"><c>Kind name</c> of the document (or <c>document N</c>).</param>
/// <param name="Message">What changed, what was kept, or what could not carry over.</param>
/// <param name="Problem">True when something could not carry over (the import exits 1).</param>
internal sealed record ImportNote(string Subject, string Message, bool Problem = false)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Subject}: {Message}";
}

/// <summary>The converted stream and what people need to know about it.</summary>
/// <param name="Documents">Every output document's YAML, in input order.</param>
/// <param name="Notes">What changed and what could not carry over, in input order.</param>
/// <param name="Converted">Flagger documents converted.</param>
/// <param name="PassedThrough">Other documents, passed through untouched.</param>
internal sealed record ImportResult(IReadOnlyList<string> Documents, IReadOnlyList<ImportNote> Notes, int Converted, int PassedThrough)
{
    /// <summary>True when any document could not carry over whole.</summary>
    public bool Failed => Notes.Any(n => n.Problem);
}

/// <summary>
/// Converts Flagger's flagger.app/v1beta1 Canary, MetricTemplate and AlertProvider documents to canary.dev/v1beta1:
/// the apiVersion changes, every field is kept as written, and where a default of this controller differs from
/// Flagger's the Flagger value is written explicitly so the behaviour is preserved. Fields the API does not know are
/// left out and values the controller's validation refuses are reported, each by field path.
/// </summary>
internal static class FlaggerImporter
{
    /// <summary>Flagger's analysis interval floor: anything shorter runs every 10s there.</summary>
    public static readonly TimeSpan FlaggerMinimumInterval = TimeSpan.FromSeconds(10);

    /// <summary>Flagger's alert user name when none is set.</summary>
    public const string FlaggerAlertUsername = "flagger";

    // Set by the API server: they describe the Flagger object, not the new one (and block its creation).
    private static readonly string[] ServerMetadata =
        ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Converts every document of <paramref name="stream"/>; <paramref name="meshProvider"/> is the controller's default provider.</summary>
    public static ImportResult Convert(ManifestStream stream, string meshProvider)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var support = ControllerSupport.For(meshProvider);
        var documents = new List<string>();
        var notes = new List<ImportNote>();
        var converted = 0;
        var passed = 0;
        foreach (var document in stream.Documents)
        {
            if (document.Node is null)
            {
                continue;
            }

            var subject = $"{document.Kind ?? "document"} {document.Name ?? $"(document {document.Index})"}";
            var kind = ApiObjects.KindOf(document);
            if (kind != ApiKind.Other && document.ApiVersion == ApiObjects.FlaggerApiVersion && document.Node is JsonObject node)
            {
                documents.Add(ConvertOne(document, node, kind, subject, support, meshProvider, notes));
                converted++;
                continue;
            }

            documents.Add(document.Text);
            passed++;
            notes.Add(PassThrough(document, subject));
        }

        return new ImportResult(documents, notes, converted, passed);
    }

    private static ImportNote PassThrough(ManifestDocument document, string subject)
    {
        if (document.Node is not JsonObject)
        {
            return new ImportNote($"document {document.Index}", "not a Kubernetes object: passed through untouched");
        }

        if (document.ApiVersion == CanaryApi.ApiVersion)
        {
            return new ImportNote(subject, $"already {CanaryApi.ApiVersion}: passed through untouched");
        }

        if (document.ApiVersion?.StartsWith("flagger.app/", StringComparison.Ordinal) == true)
        {
            return new ImportNote(subject,
                $"{document.ApiVersion} {document.Kind} is not converted (only {ApiObjects.FlaggerApiVersion} Canary, MetricTemplate and AlertProvider are): passed through untouched",
                Problem: true);
        }

        return new ImportNote(subject, "not a Flagger document: passed through untouched");
    }

    private static string ConvertOne(
        ManifestDocument document, JsonObject input, ApiKind kind, string subject, ApiSupport support, string meshProvider, List<ImportNote> notes)
    {
        var output = (JsonObject)input.DeepClone();
        output["apiVersion"] = CanaryApi.ApiVersion;
        notes.Add(new ImportNote(subject, $"apiVersion {ApiObjects.FlaggerApiVersion} → {CanaryApi.ApiVersion}"));
        RemoveServerFields(output, subject, notes);

        var roundTrip = kind switch
        {
            ApiKind.Canary => RoundTrip<CanaryResource>(output, subject, notes),
            ApiKind.MetricTemplate => RoundTrip<MetricTemplate>(output, subject, notes),
            _ => RoundTrip<AlertProvider>(output, subject, notes),
        };
        if (roundTrip is not null)
        {
            foreach (var unknown in UnknownFields.Find(output, roundTrip))
            {
                notes.Add(new ImportNote(subject, $"{unknown.Path}: not a field of {CanaryApi.ApiVersion} {document.Kind}: left out", Problem: true));
                unknown.Remove();
            }
        }

        if (kind == ApiKind.Canary)
        {
            KeepCanaryDefaults(output, subject, meshProvider, notes);
        }
        else if (kind == ApiKind.AlertProvider)
        {
            KeepAlertProviderDefaults(output, subject, notes);
        }

        if (roundTrip is not null)
        {
            foreach (var error in ApiObjects.Validate(document with { Node = output }, support))
            {
                notes.Add(new ImportNote(subject, $"{error.Path}: {error.Message}", Problem: true));
            }
        }

        using var yaml = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        StructuredOutput.WriteYaml(yaml, output);
        return yaml.ToString();
    }

    // The document bound to the API type and written back: what the API keeps of it (null when it cannot be bound).
    private static JsonNode? RoundTrip<T>(JsonObject output, string subject, List<ImportNote> notes)
        where T : class
    {
        if (ApiObjects.Read<T>(output, out var error) is { } typed)
        {
            return JsonSerializer.SerializeToNode(typed, CanaryJson.Options);
        }

        notes.Add(new ImportNote(subject, $"{error!.Path}: {error.Message}", Problem: true));
        return null;
    }

    private static void RemoveServerFields(JsonObject output, string subject, List<ImportNote> notes)
    {
        if (output["metadata"] is JsonObject metadata)
        {
            foreach (var field in ServerMetadata.Where(metadata.ContainsKey))
            {
                metadata.Remove(field);
                notes.Add(new ImportNote(subject, $"metadata.{field}: set by the API server for the Flagger object: left out"));
            }

            if (metadata["annotations"] is JsonObject annotations && annotations.Remove(LastApplied))
            {
                notes.Add(new ImportNote(subject, $"metadata.annotations.{LastApplied}: describes the Flagger object: left out"));
            }
        }

        if (output.Remove("status"))
        {
            notes.Add(new ImportNote(subject, "status: written by the controller: left out"));
        }
    }

    // Where this controller's default differs from Flagger's, Flagger's value is written so the behaviour stays the same.
    private static void KeepCanaryDefaults(JsonObject output, string subject, string meshProvider, List<ImportNote> notes)
    {
        if (output["spec"] is not JsonObject spec)
        {
            return;
        }

        if (spec["revertOnDeletion"] is null)
        {
            spec["revertOnDeletion"] = false;
            notes.Add(new ImportNote(subject,
                $"spec.revertOnDeletion: false written (Flagger's default; {CanaryApi.ApiVersion} defaults to {(CanaryDefaults.RevertOnDeletion ? "true" : "false")}): behaviour preserved"));
        }

        var analysisPath = spec["analysis"] is JsonObject ? "analysis" : "canaryAnalysis";
        if (spec[analysisPath] is JsonObject analysis
            && analysis["interval"] is JsonValue value && value.TryGetValue<string>(out var text)
            && GoDuration.TryParse(text, out var interval) && interval < FlaggerMinimumInterval)
        {
            var floor = DurationText.Format(FlaggerMinimumInterval);
            analysis["interval"] = floor;
            notes.Add(new ImportNote(subject,
                $"spec.{analysisPath}.interval: {text} → {floor} (Flagger runs any interval under {floor} every {floor}; {CanaryApi.ApiVersion} honours it as written): behaviour preserved"));
        }

        if (spec["provider"] is not JsonValue provider || !provider.TryGetValue<string>(out var name) || name.Length == 0)
        {
            notes.Add(new ImportNote(subject, $"spec.provider not set: the controller's --mesh-provider routes it (checked against {meshProvider})"));
        }
    }

    private static void KeepAlertProviderDefaults(JsonObject output, string subject, List<ImportNote> notes)
    {
        if (output["spec"] is not JsonObject spec)
        {
            return;
        }

        if (spec["username"] is not JsonValue username || !username.TryGetValue<string>(out var name) || name.Length == 0)
        {
            spec["username"] = FlaggerAlertUsername;
            notes.Add(new ImportNote(subject,
                $"spec.username: {FlaggerAlertUsername} written (Flagger's default; {CanaryApi.ApiVersion} defaults to {CanaryDefaults.AlertUsername}): behaviour preserved"));
        }
    }
}
