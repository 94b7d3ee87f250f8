namespace Canary.Api.Crd;

/// <summary>A column of <c>kubectl get</c> output (additionalPrinterColumns entry).</summary>
/// <param name="Name">Column header.</param>
/// <param name="Type">OpenAPI type: string, integer, boolean, date, ...</param>
/// <param name="JsonPath">JSONPath of the value, e.g. .status.phase.</param>
/// <param name="Priority">0 for the default view, 1 for <c>-o wide</c> only.</param>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority = 0);

/// <summary>What is needed to generate one CRD besides the schema reflected from <see cref="ResourceType"/>.</summary>
/// <param name="ResourceType">The C# type of the resource (with Spec/Status properties).</param>
/// <param name="Kind">Kind, e.g. Canary.</param>
/// <param name="Plural">Plural resource name, e.g. canaries.</param>
/// <param name="Columns">Printer columns.</param>
public sealed record CrdDefinition(Type ResourceType, string Kind, string Plural, IReadOnlyList<PrinterColumn> Columns)
{
    /// <summary>Singular resource name (lower-case kind).</summary>
    public string Singular => Kind.ToLowerInvariant();

    /// <summary>CRD object name, plural.group.</summary>
    public string Name => $"{Plural}.{V1Beta1.CanaryApi.Group}";

    /// <summary>File name of the generated manifest.</summary>
    public string FileName => $"{Name}.yaml";
}
