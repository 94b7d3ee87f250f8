namespace Canary.Webhooks.Alerts;

/// <summary>What happened to one alert: muted, or the delivery to each matching provider.</summary>
public sealed record AlertDispatchResult(bool Muted, IReadOnlyList<AlertDelivery> Deliveries)
{
    /// <summary>Nothing sent because the causing webhook has muteAlert.</summary>
    public static AlertDispatchResult MutedResult { get; } = new(true, []);

    /// <summary>The deliveries that failed, for logging.</summary>
    public IEnumerable<AlertDelivery> Failures => Deliveries.Where(d => !d.Succeeded);
}
