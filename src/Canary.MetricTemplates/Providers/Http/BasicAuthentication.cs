using System.Net.Http.Headers;
using System.Text;

namespace Canary.MetricTemplates.Providers.Http;

/// <summary>HTTP basic authentication from a Secret's username and password (Prometheus, Graphite, InfluxDB 1.x).</summary>
internal static class BasicAuthentication
{
    /// <summary>The <c>Authorization: Basic</c> value of <paramref name="user"/> and <paramref name="password"/> (UTF-8).</summary>
    public static AuthenticationHeaderValue Header(string user, string? password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
