namespace Canary.Sandbox.Scenarios;

/// <summary>A scenario file that cannot be used: the message names the file and the field (<c>file: field: problem</c>).</summary>
public sealed class ScenarioFormatException : Exception
{
    /// <summary>A problem with <paramref name="field"/> (a dotted path such as <c>canary.errorRate</c>) of <paramref name="file"/>.</summary>
    public ScenarioFormatException(string file, string field, string problem)
        : base(string.IsNullOrEmpty(field) ? $"{file}: {problem}" : $"{file}: {field}: {problem}")
    {
        File = file;
        Field = field;
    }

    /// <summary>For serializers and analyzers; prefer the (file, field, problem) constructor.</summary>
    public ScenarioFormatException()
        : this(string.Empty, string.Empty, "invalid scenario")
    {
    }

    /// <summary>For serializers and analyzers; prefer the (file, field, problem) constructor.</summary>
    public ScenarioFormatException(string message)
        : base(message)
    {
        File = string.Empty;
        Field = string.Empty;
    }

    /// <summary>For serializers and analyzers; prefer the (file, field, problem) constructor.</summary>
    public ScenarioFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
        Field = string.Empty;
    }

    /// <summary>The scenario file.</summary>
    public string File { get; }

    /// <summary>The field path, empty for the whole file.</summary>
    public string Field { get; }
}
