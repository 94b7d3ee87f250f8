namespace Canary.Webhooks.Alerts;

/// <summary>A name/value line shown under an alert (Target, Traffic routing, Cluster, ...).</summary>
public sealed record AlertField(string Name, string Value);
