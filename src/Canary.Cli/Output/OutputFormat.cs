using System.CommandLine;

namespace Canary.Cli.Output;

/// <summary>How a command prints: for people (tables, colours only on a terminal) or for scripts.</summary>
public enum OutputFormat
{
    /// <summary>Tables and text for people.</summary>
    Text,

    /// <summary>JSON for scripts.</summary>
    Json,

    /// <summary>YAML for scripts.</summary>
    Yaml,
}

/// <summary>The shared <c>-o/--output</c> option.</summary>
public static class OutputOption
{
    /// <summary>A new <c>-o json|yaml</c> option (default: text for people).</summary>
    public static Option<OutputFormat> Create() => new("--output", "-o")
    {
        Description = "Output format: json or yaml (default: text for people).",
        HelpName = "json|yaml",
        CustomParser = result => result.Tokens.Count == 0 ? OutputFormat.Text : result.Tokens[0].Value switch
        {
            "json" => OutputFormat.Json,
            "yaml" => OutputFormat.Yaml,
            "text" or "wide" => OutputFormat.Text,
            var other => Fail(result, other),
        },
    };

    private static OutputFormat Fail(System.CommandLine.Parsing.ArgumentResult result, string value)
    {
        result.AddError($"unknown output format \"{value}\": use json or yaml");
        return OutputFormat.Text;
    }
}
