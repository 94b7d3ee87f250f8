using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Canary.Controller.Benchmarks;

/// <summary>Positional arguments and <c>--name value</c> options of one benchmark mode.</summary>
internal sealed class Cli
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public Cli(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < list.Count)
            {
                _options[list[i][2..]] = list[++i];
            }
            else
            {
                Positional.Add(list[i]);
            }
        }
    }

    public List<string> Positional { get; } = [];

    public int Int(string name, int fallback) => _options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => _options.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string String(string name, string fallback) => _options.GetValueOrDefault(name, fallback);

    public static int[] Sizes(string text) => [.. text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
