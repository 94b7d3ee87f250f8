namespace Canary.Webhooks.Http;

/// <summary>Names of the IHttpClientFactory clients; TLS and proxy settings differ per name, so they are part of it.</summary>
internal static class HttpClientNames
{
    public const string Webhooks = "Canary.Webhooks";
    public const string WebhooksInsecure = "Canary.Webhooks.InsecureTls";
    public const string Alerts = "Canary.Alerts";
    public const string AlertsProxyPrefix = "Canary.Alerts.Proxy:";

    /// <summary>The alert client for <paramref name="proxy"/>; each proxy URL gets its own handler (see ProxyClientConfigurator).</summary>
    public static string AlertsVia(Uri? proxy) => proxy is null ? Alerts : AlertsProxyPrefix + proxy.AbsoluteUri;
}
