namespace Canary.Webhooks.Alerts;

/// <summary>What a notifier posts: the canary (workload.namespace), the text, its severity and fields.</summary>
public sealed record AlertMessage(string Workload, string Namespace, string Text, AlertSeverity Severity, IReadOnlyList<AlertField> Fields)
{
    /// <summary><c>name.namespace</c>, the author/subtitle line of every provider's message.</summary>
    public string Subject => $"{Workload}.{Namespace}";
}
