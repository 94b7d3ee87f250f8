using System.Text;
using Spectre.Console;

namespace Canary.Cli.Output;

/// <summary>
/// The console of the offline commands: <see cref="Terminal.For"/> straight to a terminal; off a terminal (files, pipes,
/// tests) drawn wide enough that tables never wrap, with the padding at line ends trimmed.
/// </summary>
internal static class OfflineConsole
{
    /// <summary>Width used when the output is not a terminal.</summary>
    public const int RedirectedWidth = 400;

    /// <summary>Draws with <paramref name="draw"/> on a console writing to <paramref name="writer"/>.</summary>
    public static void Render(TextWriter writer, Action<IAnsiConsole> draw)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(draw);
        if (Terminal.StdoutIsTerminal && ReferenceEquals(writer, Console.Out))
        {
            draw(Terminal.For(writer, interactive: true));
            return;
        }

        using var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var console = Terminal.For(buffer, interactive: false);
        console.Profile.Width = RedirectedWidth;
        draw(console);
        var text = new StringBuilder();
        foreach (var line in buffer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            text.Append(line.TrimEnd()).Append('\n');
        }

        writer.Write(text.ToString(0, text.Length - 1));
    }
}
