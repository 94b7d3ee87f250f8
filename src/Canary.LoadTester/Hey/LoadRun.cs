using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;

namespace Canary.LoadTester.Hey;

/// <summary>Told about every request of a run as it completes (the tester's metrics).</summary>
public interface IRequestObserver
{
    /// <summary>An answer with <paramref name="status"/> after <paramref name="latency"/>.</summary>
    void OnAnswered(int status, TimeSpan latency);

    /// <summary>No answer (transport error or <c>-t</c> timeout) after <paramref name="latency"/>.</summary>
    void OnFailed(TimeSpan latency, bool timedOut);
}

/// <summary>
/// One hey run, generated natively: <see cref="HeyOptions.Workers"/> workers each send one request at a time over one
/// shared connection pool (SocketsHttpHandler), each sending <c>n / c</c> requests or, with a duration, until it has
/// passed. With a rate limit each worker follows its own ticker, as hey's <c>time.Tick(1e6/q µs)</c>: worker <c>w</c>
/// sends at 0, T, 2T, … after the start (hey waits one period first; the count over a duration is the same), a tick
/// missed because the previous request was slower than T is taken at once and the ones after it dropped (a Go ticker
/// buffers one tick), so a slow target lowers the rate instead of receiving bursts; no tick at or past the end of the
/// duration is taken. Time (ticks, duration, the <c>-t</c> timeout, latencies) comes from the <see cref="TimeProvider"/>, so
/// a fake clock makes a run exact. Requests still in flight when the duration ends complete and count, as in hey.
/// </summary>
public sealed class LoadRun
{
    private const int MaxErrorMessages = 50;
    private readonly HeyOptions _options;
    private readonly TimeProvider _clock;
    private readonly IRequestObserver? _observer;
    private readonly Func<HeyOptions, HttpMessageHandler> _handlerFactory;
    private readonly KeyValuePair<string, string>[] _requestHeaders;
    private readonly KeyValuePair<string, string>[] _contentHeaders;
    private readonly LatencyHistogram _histogram = new();
    private readonly long[] _codes = new long[1000];
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly string _operation;
    private long _start;
    private int _active;
    private int _waiting;

    /// <summary>A run of <paramref name="options"/> on <paramref name="clock"/>; <paramref name="handlerFactory"/> replaces the connection pool (tests).</summary>
    public LoadRun(HeyOptions options, TimeProvider clock, IRequestObserver? observer = null, Func<HeyOptions, HttpMessageHandler>? handlerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _options = options;
        _clock = clock;
        _observer = observer;
        _handlerFactory = handlerFactory ?? CreateHandler;
        (_requestHeaders, _contentHeaders) = SplitHeaders(options.Headers);
        _operation = options.Method.Length == 0 ? "" : options.Method[..1] + options.Method[1..].ToLowerInvariant();
    }

    /// <summary>Workers still running (tests drive a fake clock with this and <see cref="WaitingWorkers"/>).</summary>
    internal int ActiveWorkers => Volatile.Read(ref _active);

    /// <summary>Workers waiting for their next tick, their timer already set.</summary>
    internal int WaitingWorkers => Volatile.Read(ref _waiting);

    /// <summary>Sends the load; the summary counts what completed. Cancelling stops the run early (summary marked interrupted).</summary>
    public async Task<LoadSummary> RunAsync(CancellationToken cancellationToken)
    {
        using var handler = _handlerFactory(_options);
        using var client = new HttpMessageInvoker(handler, disposeHandler: false);
        _start = _clock.GetTimestamp();
        Volatile.Write(ref _active, _options.Workers);
        var workers = new Task[_options.Workers];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkerAsync(client, cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(workers);
        var elapsed = _clock.GetElapsedTime(_start);
        var duration = _options.Duration is { } z && !cancellationToken.IsCancellationRequested && z > elapsed ? z : elapsed;
        var codes = new Dictionary<int, long>();
        for (var code = 0; code < _codes.Length; code++)
        {
            if (_codes[code] > 0)
            {
                codes[code] = _codes[code];
            }
        }

        return LoadSummary.From(_histogram, codes, new Dictionary<string, long>(_errors, StringComparer.Ordinal), duration, cancellationToken.IsCancellationRequested);
    }

    /// <summary>The connection pool hey's transport amounts to: no proxy unless <c>-x</c> (the environment's is ignored), no cookies, TLS certificates not verified, gzip unless disabled, 10 redirects.</summary>
    internal static SocketsHttpHandler CreateHandler(HeyOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = !options.DisableRedirects,
            MaxAutomaticRedirections = 10,
            AutomaticDecompression = options.DisableCompression ? DecompressionMethods.None : DecompressionMethods.GZip,
            UseCookies = false,
            UseProxy = options.Proxy is not null,
            Proxy = options.Proxy is null ? null : new WebProxy(options.Proxy),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            SslOptions = new SslClientAuthenticationOptions
            {
                // hey sets InsecureSkipVerify: a canary behind a self-signed certificate is load-tested all the same.
#pragma warning disable CA5359
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
            },
        };
        return handler;
    }

    /// <summary>Request headers and content headers (Content-Type and the like) apart; throws <see cref="HeyUsageException"/> for a header that cannot be sent.</summary>
    internal static (KeyValuePair<string, string>[] Request, KeyValuePair<string, string>[] Content) SplitHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        using var probe = new HttpRequestMessage();
        using var content = new ByteArrayContent([]);
        var request = new List<KeyValuePair<string, string>>();
        var contentHeaders = new List<KeyValuePair<string, string>>();
        foreach (var header in headers)
        {
            if (header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue; // Go sets it from the body, whatever the header says.
            }

            if (probe.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                request.Add(header);
            }
            else if (content.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                contentHeaders.Add(header);
            }
            else
            {
                throw new HeyUsageException($"hey: header '{header.Key}' cannot be sent");
            }
        }

        return ([.. request], [.. contentHeaders]);
    }

    private async Task WorkerAsync(HttpMessageInvoker client, CancellationToken cancellationToken)
    {
        try
        {
            var interval = _options.Interval;
            var deadline = _options.Duration;
            long tick = 0;
            for (long i = 0; i < _options.RequestsPerWorker; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (interval is { } period)
                {
                    var due = period * tick;
                    var elapsed = _clock.GetElapsedTime(_start);
                    if (elapsed < due)
                    {
                        if (deadline is { } end && due >= end)
                        {
                            break;
                        }

                        await WaitAsync(due - elapsed, cancellationToken);
                        tick++;
                    }
                    else
                    {
                        // This tick (or the one buffered while the last request ran) now; the missed ones are dropped.
                        tick = (elapsed.Ticks / period.Ticks) + 1;
                    }
                }

                if (deadline is { } stop && _clock.GetElapsedTime(_start) >= stop)
                {
                    break;
                }

                await SendAsync(client, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run was stopped: the request in flight is not counted.
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private async Task SendAsync(HttpMessageInvoker client, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        using var request = CreateRequest();
        using var timeout = _options.Timeout is { } t ? new CancellationTokenSource(t, _clock) : null;
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked?.Token ?? cancellationToken;
        try
        {
            using var response = await client.SendAsync(request, token);
            await using (var body = await response.Content.ReadAsStreamAsync(token))
            {
                await body.CopyToAsync(Stream.Null, token);
            }

            var latency = _clock.GetElapsedTime(started);
            var status = (int)response.StatusCode;
            _histogram.Record(latency);
            Interlocked.Increment(ref _codes[Math.Clamp(status, 0, _codes.Length - 1)]);
            _observer?.OnAnswered(status, latency);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Fail($"{_operation} \"{_options.Url}\": timeout after {_options.Timeout!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s (Client.Timeout exceeded, -t)", started, timedOut: true);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            Fail($"{_operation} \"{_options.Url}\": {Describe(e)}", started, timedOut: false);
        }
    }

    private HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(new HttpMethod(_options.Method), _options.Url)
        {
            Version = _options.Http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = new ReadOnlyMemoryContent(_options.Body),
        };
        foreach (var (name, value) in _requestHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        foreach (var (name, value) in _contentHeaders)
        {
            request.Content.Headers.TryAddWithoutValidation(name, value);
        }

        if (_options.Host is { } host)
        {
            request.Headers.Host = host;
        }

        if (_options.DisableKeepAlive)
        {
            request.Headers.ConnectionClose = true;
        }

        return request;
    }

    private void Fail(string message, long started, bool timedOut)
    {
        var latency = _clock.GetElapsedTime(started);
        if (_errors.Count >= MaxErrorMessages && !_errors.ContainsKey(message))
        {
            message = "(other errors)";
        }

        _errors.AddOrUpdate(message, 1, static (_, n) => n + 1);
        _observer?.OnFailed(latency, timedOut);
    }

    private static string Describe(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message, StringComparison.Ordinal))
            {
                message += ": " + inner.Message;
            }
        }

        return message;
    }

    private Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(this);
        waiter.Start(_clock, delay, cancellationToken);
        return waiter.Task;
    }

    /// <summary>One wait for a tick, counted in <see cref="WaitingWorkers"/> from the moment its timer is set until it fires or is cancelled.</summary>
    private sealed class Waiter(LoadRun run)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ITimer? _timer;
        private CancellationTokenRegistration _registration;
        private int _completed;

        public Task Task => _done.Task;

        public void Start(TimeProvider clock, TimeSpan delay, CancellationToken cancellationToken)
        {
            _timer = clock.CreateTimer(static s => ((Waiter)s!).Complete(canceled: false), this, delay, Timeout.InfiniteTimeSpan);
            Interlocked.Increment(ref run._waiting);
            _registration = cancellationToken.Register(static s => ((Waiter)s!).Complete(canceled: true), this);
        }

        private void Complete(bool canceled)
        {
            if (Interlocked.Exchange(ref _completed, 1) != 0)
            {
                return;
            }

            Interlocked.Decrement(ref run._waiting);
            _timer?.Dispose();
            _registration.Unregister();
            if (canceled)
            {
                _done.TrySetCanceled();
            }
            else
            {
                _done.TrySetResult();
            }
        }
    }
}
