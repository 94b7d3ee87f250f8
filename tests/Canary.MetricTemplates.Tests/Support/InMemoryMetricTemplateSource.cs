using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Analysis;

namespace Canary.MetricTemplates.Tests.Support;

/// <summary>An <see cref="IMetricTemplateSource"/> over fixed objects, so analysis tests need no cluster.</summary>
public sealed class InMemoryMetricTemplateSource : IMetricTemplateSource
{
    private readonly Dictionary<(string Namespace, string Name), MetricTemplate> _templates = [];
    private readonly Dictionary<(string Namespace, string Name), IReadOnlyDictionary<string, byte[]>> _secrets = [];

    /// <summary>A source with no templates and no secrets.</summary>
    public static IMetricTemplateSource Empty { get; } = new InMemoryMetricTemplateSource();

    /// <summary>Adds or replaces a template, keyed by its metadata namespace and name.</summary>
    public InMemoryMetricTemplateSource Add(MetricTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        _templates[(template.Metadata.NamespaceProperty ?? string.Empty, template.Metadata.Name ?? string.Empty)] = template;
        return this;
    }

    /// <summary>Adds or replaces a secret's data.</summary>
    public InMemoryMetricTemplateSource AddSecret(string ns, string name, IReadOnlyDictionary<string, byte[]> data)
    {
        _secrets[(ns, name)] = data;
        return this;
    }

    /// <inheritdoc />
    public MetricTemplate? FindTemplate(string ns, string name) => _templates.GetValueOrDefault((ns, name));

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, byte[]>?> FindSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_secrets.GetValueOrDefault((ns, name)));
}
