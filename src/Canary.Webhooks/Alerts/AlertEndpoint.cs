namespace Canary.Webhooks.Alerts;

/// <summary>A resolved AlertProvider: where to post, as whom, with which credentials and proxy.</summary>
/// <param name="ProviderType">slack, msteams, discord, rocket or gchat.</param>
/// <param name="Address">Incoming-webhook URL (from the Secret's <c>address</c> key, else the spec).</param>
/// <param name="Channel">Channel (default general).</param>
/// <param name="Username">User name (default canary).</param>
/// <param name="Token">Secret <c>token</c>, sent as <c>Authorization: Bearer</c>; null when absent.</param>
/// <param name="Proxy">HTTP(S) proxy; null for a direct connection.</param>
public sealed record AlertEndpoint(string ProviderType, Uri Address, string Channel, string Username, string? Token = null, Uri? Proxy = null);
