using System.Text.RegularExpressions;

namespace Canary.MetricTemplates.Templates;

/// <summary>
/// The few places where Flagger's Go templates and Scriban differ. Flagger exposes functions, not fields, so
/// <c>{{ .Namespace }}</c> never worked there; it gets a hint here instead of a bare parse error.
/// </summary>
internal static partial class GoTemplateCompatibility
{
    /// <summary>Rewrites Go comments (<c>{{/* ... */}}</c>, with optional trim markers) to empty Scriban blocks.</summary>
    public static string Translate(string template) => GoComment().Replace(template, m => $"{{{{{m.Groups[1].Value} {m.Groups[2].Value}}}}}");

    /// <summary>Throws a helpful error for Go field syntax such as <c>{{ .Namespace }}</c>.</summary>
    public static void ThrowOnUnsupportedSyntax(string template)
    {
        var field = GoField().Match(template);
        if (field.Success)
        {
            var name = field.Groups[1].Value;
            throw new QueryRenderException(
                $"query template parse error: Go field syntax '{{{{ .{name} }}}}' is not supported (Flagger does not support it either); " +
                $"write '{{{{ {name.ToLowerInvariant()} }}}}'");
        }
    }

    [GeneratedRegex(@"\{\{(-?)\s*/\*.*?\*/\s*(-?)\}\}", RegexOptions.Singleline)]
    private static partial Regex GoComment();

    [GeneratedRegex(@"\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex GoField();
}
