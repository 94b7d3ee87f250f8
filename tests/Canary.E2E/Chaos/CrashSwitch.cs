namespace Canary.E2E.Chaos;

/// <summary>Where a crash falls relative to the chosen API write.</summary>
public enum CrashMode
{
    /// <summary>The process dies as it is about to send the write: the write never happens.</summary>
    BeforeWrite,

    /// <summary>The process dies right after the API server accepted the write, before anything else.</summary>
    AfterWrite,
}

/// <summary>One write the controller made: its number (from 1), the tick it belongs to, verb and path.</summary>
public sealed record ApiWrite(int Number, int Tick, string Method, string Path)
{
    /// <summary>A status checkpoint (the Canary's status subresource).</summary>
    public bool IsCheckpoint => Path.Contains("/canaries/", StringComparison.Ordinal) && Path.EndsWith("/status", StringComparison.Ordinal);

    public override string ToString() => $"#{Number} (tick {Tick}) {Method} {Path}";
}

/// <summary>
/// Sits in the controller's HTTP pipeline to the API server and plays a killed process: once armed write number N is
/// reached, that write is dropped (<see cref="CrashMode.BeforeWrite"/>) or completed (<see cref="CrashMode.AfterWrite"/>),
/// then the process's token is cancelled and every later request fails, so nothing else of the tick reaches the API
/// server or a webhook receiver. Counts every mutating request, so a crash-free run lists the points there are.
/// </summary>
public sealed class CrashSwitch : DelegatingHandler
{
    private readonly Lock _gate = new();
    private readonly List<ApiWrite> _writes = [];
    private readonly CancellationTokenSource _process;
    private readonly (int Number, CrashMode Mode)? _armed;

    /// <param name="process">Cancelled when the crash happens (the process's lifetime token).</param>
    /// <param name="armed">The write to crash at (numbered from 1, across the process's lifetime), or null for none.</param>
    public CrashSwitch(CancellationTokenSource process, (int Number, CrashMode Mode)? armed)
    {
        _process = process;
        _armed = armed;
    }

    /// <summary>The tick the process is in (set by the driver), so writes can be grouped by tick.</summary>
    public int Tick { get; set; }

    /// <summary>True once the crash happened.</summary>
    public bool Crashed => _process.IsCancellationRequested;

    /// <summary>The writes that reached the API server.</summary>
    public IReadOnlyList<ApiWrite> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _process.Token.ThrowIfCancellationRequested();
        if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        ApiWrite write;
        lock (_gate)
        {
            write = new ApiWrite(_writes.Count + 1, Tick, request.Method.Method, request.RequestUri!.AbsolutePath);
        }

        if (_armed is { Mode: CrashMode.BeforeWrite } before && before.Number == write.Number)
        {
            await _process.CancelAsync().ConfigureAwait(false);
            _process.Token.ThrowIfCancellationRequested();
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _writes.Add(write);
        }

        if (_armed is { Mode: CrashMode.AfterWrite } after && after.Number == write.Number)
        {
            response.Dispose();
            await _process.CancelAsync().ConfigureAwait(false);
            _process.Token.ThrowIfCancellationRequested();
        }

        return response;
    }
}
