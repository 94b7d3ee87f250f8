namespace Canary.E2E.Infrastructure;

/// <summary>Bounded waits on conditions (never on elapsed time): poll until true, or fail with what was seen.</summary>
public static class Wait
{
    /// <summary>Default bound: generous, as a 2-core machine runs several environments at once.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the diagnostics otherwise.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, Func<string>? diagnostics = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await UntilAsync(_ => Task.FromResult(condition()), what, diagnostics, timeout);
    }

    /// <summary>Waits until the async <paramref name="condition"/> holds.</summary>
    public static async Task UntilAsync(Func<CancellationToken, Task<bool>> condition, string what, Func<string>? diagnostics = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var bound = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (!await condition(bound.Token))
            {
                await Task.Delay(Poll, bound.Token);
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            Assert.Fail($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:F0}s waiting for: {what}{Environment.NewLine}{diagnostics?.Invoke()}");
        }
    }
}
