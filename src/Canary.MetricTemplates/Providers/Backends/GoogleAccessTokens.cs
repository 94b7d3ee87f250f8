using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;
using Google.Apis.Util;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>The fields of a service account key JSON (<c>"type": "service_account"</c>) that the JWT bearer grant needs.</summary>
/// <param name="ClientEmail">The account, the JWT's <c>iss</c>.</param>
/// <param name="PrivateKey">PKCS#8 PEM RSA key the JWT is signed with (RS256).</param>
/// <param name="PrivateKeyId">The key's id, the JWT's <c>kid</c>.</param>
/// <param name="TokenUri">Where the grant is posted (the JWT's <c>aud</c> is Google's token URL whatever this is, as Google documents).</param>
internal sealed record GoogleServiceAccountKey(string ClientEmail, string PrivateKey, string? PrivateKeyId, Uri TokenUri)
{
    /// <summary>Never the private key: a record's generated ToString would print it into a log.</summary>
    public override string ToString() => $"GoogleServiceAccountKey {{ ClientEmail = {ClientEmail}, TokenUri = {TokenUri} }}";

    /// <summary>Google's token endpoint, for a key without <c>token_uri</c>.</summary>
    public const string DefaultTokenUri = "https://oauth2.googleapis.com/token";

    /// <summary>Reads a key JSON as the Cloud console downloads it; what is missing or of another credential type is an error naming it.</summary>
    public static GoogleServiceAccountKey Parse(string json)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            // JsonException's message has a position, never the text.
            throw new MetricProviderException($"stackdriver serviceAccountKey is not JSON: {e.Message}");
        }

        string? Text(string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
                ? text
                : null;

        if (Text("type") is { } type && type != "service_account")
        {
            throw new MetricProviderException(
                $"stackdriver serviceAccountKey is a '{type}' credential; only service account keys (\"type\": \"service_account\") are supported, or none for workload identity");
        }

        var email = Text("client_email") ?? throw new MetricProviderException("stackdriver serviceAccountKey does not contain client_email");
        var key = Text("private_key") ?? throw new MetricProviderException("stackdriver serviceAccountKey does not contain private_key");
        var tokenUri = Text("token_uri") ?? DefaultTokenUri;
        return Uri.TryCreate(tokenUri, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? new GoogleServiceAccountKey(email, key, Text("private_key_id"), uri)
            : throw new MetricProviderException($"stackdriver serviceAccountKey token_uri '{tokenUri}' is not an http(s) URL");
    }
}

/// <summary>
/// OAuth2 access tokens for Google APIs through Google.Apis.Auth: a service account key's JWT bearer grant
/// (<see cref="ServiceAccountCredential"/>, RS256 JWT posted to the key's <c>token_uri</c>) or the metadata server of GKE
/// workload identity (<see cref="ComputeCredential"/>). One credential per key and controller, so its token is reused
/// across queries until shortly before it expires; Google's refresh manager makes that thread-safe and has one refresh
/// in flight at a time. Token requests go through the controller's own HTTP stack and clock.
/// </summary>
internal static class GoogleAccessTokens
{
    /// <summary>Reading time series needs no more (https://cloud.google.com/monitoring/access-control).</summary>
    public const string MonitoringReadScope = "https://www.googleapis.com/auth/monitoring.read";

    /// <summary>The metadata server's token of the workload's service account.</summary>
    public const string MetadataTokenPath = "/computeMetadata/v1/instance/service-accounts/default/token";

    // Keys rotate; a long-running controller should not keep every credential it ever saw.
    private const int MaxCached = 64;

    // Per controller (the context lives as long as its DI container), so a test's container has its own tokens.
    private static readonly ConditionalWeakTable<MetricBackendContext, ConcurrentDictionary<string, ServiceCredential>> Cache = new();

    /// <summary>The cached credential of <paramref name="key"/>, created on first use.</summary>
    /// <exception cref="MetricProviderException">The private key cannot be read.</exception>
    public static ServiceCredential ForServiceAccount(MetricBackendContext context, GoogleServiceAccountKey key)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(key);
        var id = string.Join('\n', "sa", key.TokenUri, key.ClientEmail, key.PrivateKeyId, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.PrivateKey))));
        return Cached(context, id, () =>
        {
            ServiceAccountCredential.Initializer initializer;
            try
            {
                initializer = new ServiceAccountCredential.Initializer(key.ClientEmail, key.TokenUri.ToString())
                {
                    Scopes = [MonitoringReadScope],
                    KeyId = key.PrivateKeyId,
                }.FromPrivateKey(key.PrivateKey);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException or FormatException)
            {
                throw new MetricProviderException($"stackdriver serviceAccountKey private_key is not a PEM RSA private key ({e.GetType().Name})");
            }

            return new ServiceAccountCredential(Configure(initializer, context));
        });
    }

    /// <summary>The cached credential of the metadata server at <paramref name="tokenUrl"/>.</summary>
    public static ServiceCredential ForMetadataServer(MetricBackendContext context, string tokenUrl)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Cached(context, "md\n" + tokenUrl, () => new ComputeCredential(Configure(new ComputeCredential.Initializer(tokenUrl), context)));
    }

    private static ServiceCredential Cached(MetricBackendContext context, string id, Func<ServiceCredential> create)
    {
        var credentials = Cache.GetOrCreateValue(context);
        if (credentials.Count >= MaxCached && !credentials.ContainsKey(id))
        {
            credentials.Clear();
        }

        return credentials.GetOrAdd(id, _ => create());
    }

    private static T Configure<T>(T initializer, MetricBackendContext context)
        where T : ServiceCredential.Initializer
    {
        initializer.Clock = new TimeProviderClock(context.Time);
        initializer.HttpClientFactory = new ControllerHttp(context.HttpClients);

        // No retries inside Google's handler: a failed token request fails this query, and the next one asks again.
        initializer.DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.None;
        return initializer;
    }

    /// <summary>The controller's clock (a FakeTimeProvider in tests) as Google's <see cref="IClock"/>.</summary>
    private sealed class TimeProviderClock(TimeProvider time) : IClock
    {
        public DateTime Now => time.GetLocalNow().DateTime;

        public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
    }

    /// <summary>
    /// Google's client over the controller's verified named client (TLS, redirect policy), resolved per request so handler
    /// rotation still applies to a credential that lives as long as the controller.
    /// </summary>
    private sealed class ControllerHttp(System.Net.Http.IHttpClientFactory clients) : Google.Apis.Http.IHttpClientFactory
    {
        // Bounds a token request that hangs; far above what a token endpoint or metadata server takes.
        private static readonly TimeSpan TokenRequestTimeout = TimeSpan.FromSeconds(30);

        // What Google's own factory does, over the controller's handlers instead of a new HttpClientHandler.
        public ConfigurableHttpClient CreateHttpClient(CreateHttpClientArgs args)
        {
            ArgumentNullException.ThrowIfNull(args);
            var client = new ConfigurableHttpClient(new ConfigurableMessageHandler(new Forwarding(clients)) { FollowRedirect = false })
            {
                Timeout = TokenRequestTimeout,
            };
            foreach (var initializer in args.Initializers)
            {
                initializer.Initialize(client);
            }

            return client;
        }

        private sealed class Forwarding(System.Net.Http.IHttpClientFactory clients) : HttpMessageHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                // The handler chain itself when the factory gives it out (the DI one does): an HttpClient would refuse a
                // request message Google's handler sends a second time.
                if (clients is IHttpMessageHandlerFactory handlers)
                {
                    using var invoker = new HttpMessageInvoker(handlers.CreateHandler(MetricProviderFactory.HttpClientName), disposeHandler: false);
                    return await invoker.SendAsync(request, cancellationToken);
                }

                return await clients.CreateClient(MetricProviderFactory.HttpClientName).SendAsync(request, cancellationToken);
            }
        }
    }
}
