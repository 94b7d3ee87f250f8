namespace Canary.Sandbox.Traffic.Cookies;

/// <summary>What one cookie-keeping simulated client has seen so far (<see cref="TrafficSimulator.StickyClients"/>).</summary>
/// <param name="Id">Client number within its app, from 0.</param>
/// <param name="Cookies">Cookies it holds now (<c>name → value</c>), sent with its next request.</param>
/// <param name="RequestsByService">Requests answered by each Service (or <c>"&lt;status&gt;"</c> when the proxy answered itself).</param>
/// <param name="ReceivedSetCookies">The last <see cref="StickyClientPool.KeptSetCookies"/> Set-Cookie values it received, oldest first.</param>
/// <param name="LastService">Service that answered its last request, or null.</param>
public sealed record StickyClientSnapshot(
    int Id,
    IReadOnlyDictionary<string, string> Cookies,
    IReadOnlyDictionary<string, long> RequestsByService,
    IReadOnlyList<string> ReceivedSetCookies,
    string? LastService);
