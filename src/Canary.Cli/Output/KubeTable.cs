using Spectre.Console;
using Spectre.Console.Rendering;

namespace Canary.Cli.Output;

/// <summary>Tables laid out as kubectl prints them: upper-case headers, no borders, three spaces between columns.</summary>
public static class KubeTable
{
    /// <summary>A new table with <paramref name="headers"/>; the last column is never padded on the right.</summary>
    public static Table Create(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var table = new Table().Border(TableBorder.None);
        for (var i = 0; i < headers.Length; i++)
        {
            table.AddColumn(new TableColumn(new Text(headers[i])).Padding(0, 0, i == headers.Length - 1 ? 0 : 3, 0));
        }

        return table;
    }

    /// <summary>Adds a row of plain texts (never read as markup).</summary>
    public static Table AddTextRow(this Table table, params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(cells);
        return table.AddRow([.. cells.Select(c => (IRenderable)new Text(string.IsNullOrEmpty(c) ? "-" : c))]);
    }

    /// <summary>Renders <paramref name="renderable"/> to plain text (no colours, wide enough that nothing wraps).</summary>
    public static string ToPlainText(IRenderable renderable)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var console = Terminal.For(writer, interactive: false);
        console.Profile.Width = Terminal.LogWidth;
        console.Write(renderable);
        return writer.ToString();
    }
}
