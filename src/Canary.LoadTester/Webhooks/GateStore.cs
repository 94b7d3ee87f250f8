using System.Collections.Concurrent;

namespace Canary.LoadTester.Webhooks;

/// <summary>
/// Flagger's in-memory gate storage: keys <c>name.namespace</c> (confirmation gates) and <c>rollback.name.namespace</c>
/// (rollback gates), every key closed until opened; lost on restart, as in Flagger.
/// </summary>
public sealed class GateStore
{
    private readonly ConcurrentDictionary<string, bool> _gates = new(StringComparer.Ordinal);

    /// <summary>Opens <paramref name="key"/>.</summary>
    public void Open(string key) => _gates[key] = true;

    /// <summary>Closes <paramref name="key"/>.</summary>
    public void Close(string key) => _gates[key] = false;

    /// <summary>True when <paramref name="key"/> was opened and not closed since.</summary>
    public bool IsOpen(string key) => _gates.GetValueOrDefault(key);
}
