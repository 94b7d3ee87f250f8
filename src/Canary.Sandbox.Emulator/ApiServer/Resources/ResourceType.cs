namespace Canary.Sandbox.ApiServer.Resources;

/// <summary>Everything the server knows about one served group/version/resource.</summary>
public sealed record ResourceType
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary>Plural, lower-case resource name used in URLs.</summary>
    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public string ListKind => Kind + "List";

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Has a /status subresource: main writes keep status, status writes change only status.</summary>
    public bool HasStatus { get; init; }

    /// <summary>Has a /scale subresource (autoscaling/v1 Scale) mapped onto these paths.</summary>
    public ScaleSubresource? Scale { get; init; }

    /// <summary>Maintains metadata.generation (incremented when anything but metadata and status changes).</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Served from a CustomResourceDefinition: strategic merge patch is refused (415), as on a real server.</summary>
    public bool IsCustom { get; init; }

    /// <summary>A DELETE that removes the object at once answers the object itself instead of a Status.</summary>
    public bool ReturnsDeletedObject { get; init; }

    /// <summary>Extra Table columns (between Name and Age for built-ins; the whole list for CRDs that declare them).</summary>
    public IReadOnlyList<PrinterColumn> PrinterColumns { get; init; } = [];

    /// <summary>True when PrinterColumns came from a CRD (which then replaces the default Age column).</summary>
    public bool CustomPrinterColumns { get; init; }

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public GroupVersionResource Gvr => new(Group, Version, Plural);

    /// <summary>Objects are stored once per group and resource, whatever version they are written with.</summary>
    internal (string Group, string Resource) StorageKey => (Group, Plural);
}

/// <summary>JSON paths (".spec.replicas") that a scale subresource reads and writes.</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);

/// <summary>One Table column: its header, type (string, integer, number, boolean, date) and the JSON path it shows.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string? Description = null, int Priority = 0);
