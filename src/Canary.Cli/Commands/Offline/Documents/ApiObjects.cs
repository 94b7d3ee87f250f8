using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Canary.Api.Serialization;
using Canary.Api.Support;
using Canary.Api.V1Beta1;
using Canary.Api.Validation;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Commands.Offline.Documents;

/// <summary>The kinds of the canary.dev (and Flagger's flagger.app) API that the offline commands read.</summary>
internal enum ApiKind
{
    /// <summary>Not one of ours (a Deployment, a Service, ...).</summary>
    Other,

    /// <summary>A Canary.</summary>
    Canary,

    /// <summary>A MetricTemplate.</summary>
    MetricTemplate,

    /// <summary>An AlertProvider.</summary>
    AlertProvider,
}

/// <summary>Binds documents to the API types with the controller's JSON options and validates them as the controller does.</summary>
internal static partial class ApiObjects
{
    /// <summary>Flagger's API version, read as ours (the canary.dev spec is a superset of it).</summary>
    public const string FlaggerApiVersion = "flagger.app/v1beta1";

    /// <summary>True for canary.dev/v1beta1 and flagger.app/v1beta1.</summary>
    public static bool IsCanaryApi(string? apiVersion) => apiVersion is CanaryApi.ApiVersion or FlaggerApiVersion;

    /// <summary>The kind of <paramref name="document"/> when it is a Canary, MetricTemplate or AlertProvider of either API.</summary>
    public static ApiKind KindOf(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return !IsCanaryApi(document.ApiVersion) ? ApiKind.Other : document.Kind switch
        {
            CanaryResource.KubeKind => ApiKind.Canary,
            MetricTemplate.KubeKind => ApiKind.MetricTemplate,
            AlertProvider.KubeKind => ApiKind.AlertProvider,
            _ => ApiKind.Other,
        };
    }

    /// <summary>Binds <paramref name="node"/> to <typeparamref name="T"/>; a value of the wrong type is returned as a field error.</summary>
    public static T? Read<T>(JsonNode node, out FieldError? error)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(node);
        try
        {
            error = null;
            return node.Deserialize<T>(CanaryJson.Options) ?? throw new JsonException("the document is empty");
        }
        catch (JsonException e)
        {
            error = new FieldError(FieldPath(e.Path), Describe(e));
            return null;
        }
    }

    /// <summary>
    /// The controller's validation of a Canary, MetricTemplate or AlertProvider document (what it would refuse by field
    /// path), preceded by any value that cannot even be read.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(ManifestDocument document, ApiSupport support)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Node is not JsonObject node)
        {
            return [];
        }

        FieldError? error = null;
        ApiValidationResult? result = null;
        switch (KindOf(document))
        {
            case ApiKind.Canary:
                result = Read<CanaryResource>(node, out error) is { } canary ? CanaryValidation.Validate(canary, support) : null;
                break;
            case ApiKind.MetricTemplate:
                result = Read<MetricTemplate>(node, out error) is { } template ? CanaryValidation.Validate(template, support) : null;
                break;
            case ApiKind.AlertProvider:
                result = Read<AlertProvider>(node, out error) is { } provider ? CanaryValidation.Validate(provider) : null;
                break;
            default:
                return [];
        }

        return result?.Errors ?? (error is null ? [] : [error]);
    }

    // "$.spec.analysis['stepWeights'][2]" → "spec.analysis.stepWeights[2]".
    private static string FieldPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "(document)";
        }

        var text = QuotedMember().Replace(path, m => "." + m.Groups["name"].Value);
        return text.StartsWith("$.", StringComparison.Ordinal) ? text[2..] : text.TrimStart('$');
    }

    private static string Describe(JsonException e)
    {
        var message = e.Message;
        if (ConvertedTo().Match(message) is { Success: true } match)
        {
            return $"has the wrong type: expected {TypeName(match.Groups["type"].Value)}";
        }

        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static string TypeName(string clrType) => clrType switch
    {
        _ when clrType.Contains("Int32", StringComparison.Ordinal) || clrType.Contains("Int64", StringComparison.Ordinal) => "an integer",
        _ when clrType.Contains("Double", StringComparison.Ordinal) => "a number",
        _ when clrType.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when clrType.Contains("String", StringComparison.Ordinal) && !clrType.Contains("Dictionary", StringComparison.Ordinal) && !clrType.Contains("List", StringComparison.Ordinal) => "a string",
        _ when clrType.Contains("DateTime", StringComparison.Ordinal) => "an RFC 3339 time",
        _ when clrType.Contains("Dictionary", StringComparison.Ordinal) => "a mapping",
        _ when clrType.Contains("List", StringComparison.Ordinal) || clrType.EndsWith("[]", StringComparison.Ordinal) => "a list",
        _ => "a mapping",
    };

    [GeneratedRegex(@"\['(?<name>[^']*)'\]")]
    private static partial Regex QuotedMember();

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.? Path")]
    private static partial Regex ConvertedTo();
}
