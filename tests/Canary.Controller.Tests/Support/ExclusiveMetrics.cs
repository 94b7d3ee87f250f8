namespace Canary.Controller.Tests.Support;

/// <summary>
/// Tests that read /metrics of a host: they run alone, because OpenTelemetry listens to meters by name process-wide, so
/// a second host alive at the same time adds (and can shadow) same-named instruments in the export.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExclusiveMetrics
{
    public const string Name = "exclusive metrics";
}
