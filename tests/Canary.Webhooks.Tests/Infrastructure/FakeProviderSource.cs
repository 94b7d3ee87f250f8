using System.Text;
using Canary.Api.V1Beta1;
using Canary.Webhooks.Alerts;
using k8s.Models;

namespace Canary.Webhooks.Tests.Infrastructure;

/// <summary>In-memory AlertProviders and Secrets, standing in for the controller's caches.</summary>
public sealed class FakeProviderSource : IAlertProviderSource
{
    private readonly Dictionary<string, AlertProvider> _providers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, byte[]>> _secrets = new(StringComparer.Ordinal);

    public FakeProviderSource Provider(string name, string type, Uri? address = null, string ns = "test", string? secret = null, Uri? proxy = null,
        string? channel = null, string? username = null)
    {
        _providers[$"{ns}/{name}"] = new AlertProvider
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new AlertProviderSpec
            {
                Type = type,
                Address = address?.AbsoluteUri,
                SecretRef = secret is null ? null : new SecretKeyReference { Name = secret },
                Proxy = proxy?.AbsoluteUri,
                Channel = channel,
                Username = username,
            },
        };
        return this;
    }

    public FakeProviderSource Secret(string name, IDictionary<string, string> data, string ns = "test")
    {
        _secrets[$"{ns}/{name}"] = data.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value));
        return this;
    }

    public AlertProvider? FindProvider(string namespaceName, string name) => _providers.GetValueOrDefault($"{namespaceName}/{name}");

    public Task<IReadOnlyDictionary<string, byte[]>?> FindSecretDataAsync(string namespaceName, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_secrets.GetValueOrDefault($"{namespaceName}/{name}"));
}
