using System.Net.Http.Headers;
using System.Text;
using Canary.MetricTemplates.Providers.Http;

namespace Canary.MetricTemplates.Providers;

/// <summary>Authorization taken from a Secret as Flagger does: key <c>token</c> (Bearer), else <c>username</c> + <c>password</c> (Basic).</summary>
internal sealed class PrometheusCredentials
{
    private PrometheusCredentials(AuthenticationHeaderValue header) => Header = header;

    public AuthenticationHeaderValue Header { get; }

    /// <summary>Null when the template has no secretRef; throws when the Secret has neither a token nor a username/password pair.</summary>
    public static PrometheusCredentials? FromSecret(IReadOnlyDictionary<string, byte[]>? data)
    {
        if (data is null)
        {
            return null;
        }

        if (data.TryGetValue("token", out var token))
        {
            return new(new AuthenticationHeaderValue("Bearer", Decode(token)));
        }

        // Flagger's wording, so existing runbooks still match.
        if (!data.TryGetValue("username", out var username))
        {
            throw new MetricProviderException("prometheus credentials does not contain a username");
        }

        if (!data.TryGetValue("password", out var password))
        {
            throw new MetricProviderException("prometheus credentials does not contain a password");
        }

        return new(BasicAuthentication.Header(Decode(username), Decode(password)));
    }

    // Secrets made with --from-file often end in a newline, which is never part of a credential and is invalid in a header.
    private static string Decode(byte[] value) => Encoding.UTF8.GetString(value).TrimEnd('\r', '\n');
}
