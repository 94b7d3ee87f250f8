using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Canary.Api.Crd;

/// <summary>Reads <c>&lt;summary&gt;</c> texts from a compiler XML documentation file; used as CRD descriptions.</summary>
public sealed partial class XmlDocumentation
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocumentation(Dictionary<string, string> summaries) => _summaries = summaries;

    /// <summary>Loads the documentation file that the build writes next to <paramref name="assembly"/>.</summary>
    public static XmlDocumentation For(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"XML documentation of {assembly.GetName().Name} not found at '{path}'; it is built with GenerateDocumentationFile=true and copied next to the assembly.", path);
        }

        return Parse(XDocument.Load(path));
    }

    /// <summary>Parses a documentation file already loaded.</summary>
    public static XmlDocumentation Parse(XDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var summaries = document.Descendants("member")
            .Where(m => m.Attribute("name") is not null && m.Element("summary") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => Flatten(m.Element("summary")!), StringComparer.Ordinal);
        return new XmlDocumentation(summaries);
    }

    /// <summary>Summary of a type, or null when undocumented.</summary>
    public string? Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _summaries.GetValueOrDefault($"T:{type.FullName?.Replace('+', '.')}");
    }

    /// <summary>Summary of a property, or null when undocumented.</summary>
    public string? Of(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return _summaries.GetValueOrDefault($"P:{property.DeclaringType?.FullName?.Replace('+', '.')}.{property.Name}");
    }

    // <c>x</c> becomes x and <see cref="T:A.B"/> becomes B; whitespace is collapsed to single spaces.
    private static string Flatten(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" or "seealso" } e => e.Attribute("langword")?.Value ?? ShortName(e.Attribute("cref")?.Value) ?? e.Value,
                XElement { Name.LocalName: "paramref" or "typeparamref" } e => e.Attribute("name")?.Value,
                XElement e => e.Value,
                _ => string.Empty,
            });
        }

        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    private static string? ShortName(string? cref) => cref?[(cref.LastIndexOf('.') + 1)..];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
