using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Canary.Cli.Commands.Live.Screen;

/// <summary>The table of <c>list</c>.</summary>
internal static class CanaryListRenderer
{
    public static IRenderable Render(IReadOnlyList<CanaryRow> rows, bool withNamespace)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string[] headers = ["NAME", "PHASE", "WEIGHT", "STEP", "FAILED", "LAST VERDICT", "AGE"];
        var table = Output.KubeTable.Create(withNamespace ? ["NAMESPACE", .. headers] : headers);
        foreach (var row in rows)
        {
            IRenderable[] cells =
            [
                new Text(row.Name),
                CanaryScreenRenderer.Phase(row.Phase, row.Paused),
                new Text(row.Weight.ToString(CultureInfo.InvariantCulture)),
                new Text(row.Step),
                new Text(string.Create(CultureInfo.InvariantCulture, $"{row.FailedChecks}/{row.Threshold}")),
                new Text(row.LastVerdict?.ToString() ?? "-"),
                new Text(row.Age),
            ];
            table.AddRow(withNamespace ? [new Text(row.Namespace), .. cells] : cells);
        }

        return table;
    }
}
