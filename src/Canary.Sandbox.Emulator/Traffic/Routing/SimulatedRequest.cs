namespace Canary.Sandbox.Traffic.Routing;

/// <summary>The shape shared by all requests of one segment: what route matches look at.</summary>
internal sealed class SimulatedRequest
{
    public SimulatedRequest(string path, RequestSegment segment)
    {
        Path = path;
        Segment = segment.Name;
        Cookies = segment.Cookies;
        var headers = new Dictionary<string, string>(segment.Headers, StringComparer.OrdinalIgnoreCase);
        if (segment.Cookies.Count > 0)
        {
            headers["cookie"] = string.Join("; ", segment.Cookies.Select(c => $"{c.Key}={c.Value}"));
        }

        Headers = headers;
    }

    public string Segment { get; }

    /// <summary>Simulated clients only send GETs.</summary>
    public static string Method => "GET";

    public string Path { get; }

    /// <summary>Header values by case-insensitive name, including the <c>cookie</c> header.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public IReadOnlyDictionary<string, string> Cookies { get; }

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}
