using Canary.Cli.Output;
using Spectre.Console.Rendering;

namespace Canary.Cli.Commands.Live;

/// <summary>Prints renderables: through Spectre (colours) on a terminal, as plain lines without trailing blanks otherwise.</summary>
internal static class LiveOutput
{
    /// <summary>Whether <paramref name="writer"/> is this process's stdout and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) => ReferenceEquals(writer, Console.Out) && Terminal.StdoutIsTerminal;

    public static void Write(TextWriter writer, IRenderable renderable)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (IsTerminal(writer))
        {
            Terminal.For(writer, interactive: true).Write(renderable);
            return;
        }

        foreach (var line in PlainLines(renderable))
        {
            writer.WriteLine(line);
        }
    }

    /// <summary>The lines of <paramref name="renderable"/> as plain text, trailing blanks trimmed.</summary>
    public static IEnumerable<string> PlainLines(IRenderable renderable)
    {
        var lines = KubeTable.ToPlainText(renderable).ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
