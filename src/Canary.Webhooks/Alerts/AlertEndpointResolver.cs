using System.Diagnostics.CodeAnalysis;
using System.Text;
using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Api.Validation;

namespace Canary.Webhooks.Alerts;

/// <summary>Turns an AlertProvider (and its Secret) into an <see cref="AlertEndpoint"/>, with Flagger's precedence and defaults.</summary>
public static class AlertEndpointResolver
{
    /// <summary>Secret key holding the webhook URL; overrides spec.address.</summary>
    public const string AddressKey = "address";

    /// <summary>Secret key holding the bearer token.</summary>
    public const string TokenKey = "token";

    /// <summary>
    /// Resolves <paramref name="provider"/>. With a secretRef the Secret must exist and hold <c>address</c> (Flagger rejects it
    /// otherwise) and may hold <c>token</c>; channel and username default to general and canary.
    /// </summary>
    public static bool TryResolve(
        AlertProvider provider,
        IReadOnlyDictionary<string, byte[]>? secretData,
        [NotNullWhen(true)] out AlertEndpoint? endpoint,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(provider);
        endpoint = null;
        // The API server does not run our validators; a bad AlertProvider is reported with its field paths, not guessed at.
        if (CanaryValidation.Validate(provider) is { IsValid: false } validation)
        {
            error = $"invalid AlertProvider: {validation.Summary}";
            return false;
        }

        var spec = provider.Spec ?? new AlertProviderSpec();
        var address = spec.Address;
        string? token = null;
        if (spec.SecretRef is { } secretRef)
        {
            if (secretData is null)
            {
                error = $"secret {secretRef.Name} not found";
                return false;
            }

            if (!secretData.TryGetValue(AddressKey, out var addressBytes))
            {
                error = $"secret {secretRef.Name} does not contain an {AddressKey}";
                return false;
            }

            address = Encoding.UTF8.GetString(addressBytes).Trim();
            token = secretData.TryGetValue(TokenKey, out var tokenBytes) ? Encoding.UTF8.GetString(tokenBytes).Trim() : null;
        }

        if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            error = string.IsNullOrEmpty(address) ? "no address" : "address is not an absolute http(s) URL";
            return false;
        }

        Uri? proxy = null;
        if (!string.IsNullOrEmpty(spec.Proxy) && !Uri.TryCreate(spec.Proxy, UriKind.Absolute, out proxy))
        {
            error = $"unable to parse proxy URL '{spec.Proxy}'";
            return false;
        }

        endpoint = new AlertEndpoint(spec.Type ?? string.Empty, url, spec.EffectiveChannel(), spec.EffectiveUsername(), token, proxy);
        error = null;
        return true;
    }
}
