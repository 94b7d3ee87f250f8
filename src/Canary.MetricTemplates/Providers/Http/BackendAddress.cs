namespace Canary.MetricTemplates.Providers.Http;

/// <summary>Addresses and request headers as every HTTP metric backend takes them from its MetricTemplate.</summary>
internal static class BackendAddress
{
    /// <summary>
    /// <paramref name="address"/> (or <paramref name="defaultAddress"/> when empty) as an absolute http(s) URL; anything
    /// else is an error naming the backend.
    /// </summary>
    public static Uri Parse(string backend, string? address, string? defaultAddress = null)
    {
        var text = string.IsNullOrWhiteSpace(address) ? defaultAddress : address.Trim();
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new MetricProviderException($"{backend}: spec.provider.address is required");
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new MetricProviderException($"{backend} address '{text}' is not a valid http(s) URL");
    }

    /// <summary><paramref name="path"/> under the address' own path (a proxy prefix is kept), with <paramref name="query"/>.</summary>
    public static Uri Endpoint(Uri address, string path, string query) =>
        new UriBuilder(address) { Path = address.AbsolutePath.TrimEnd('/') + "/" + path.TrimStart('/'), Query = query }.Uri;

    /// <summary>The template's <c>spec.provider.headers</c>; the backend sets its own auth headers after them, so the Secret wins.</summary>
    public static void AddHeaders(HttpRequestMessage request, IReadOnlyDictionary<string, IReadOnlyList<string>> headers)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var (name, values) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, values);
        }
    }
}
