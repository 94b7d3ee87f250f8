using System.Collections.Concurrent;
using System.Security.Cryptography;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.ApiServer.Auth;

/// <summary>
/// Bearer-token authentication: the sandbox's admin token (<see cref="SandboxUser.Admin"/>) and tokens issued for
/// ServiceAccounts, which stop authenticating once their ServiceAccount is deleted (as bound tokens do).
/// </summary>
public sealed class ServiceAccountTokens(ObjectStore store)
{
    /// <summary>The token of the sandbox's admin (what <see cref="KubeconfigWriter"/> writes by default).</summary>
    public const string AdminToken = "sandbox";

    private readonly ConcurrentDictionary<string, (string Namespace, string Name)> _tokens = new(StringComparer.Ordinal);

    /// <summary>A new token for the ServiceAccount <paramref name="ns"/>/<paramref name="name"/> (which must exist when it is used).</summary>
    public string Issue(string ns, string name)
    {
        var token = "sa-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = (ns, name);
        return token;
    }

    /// <summary>The user behind an <c>Authorization</c> header value, or null (401) when it is missing or unknown.</summary>
    public SandboxUser? Authenticate(string? authorizationHeader)
    {
        if (authorizationHeader is null || !authorizationHeader.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorizationHeader["Bearer ".Length..].Trim();
        if (token == AdminToken)
        {
            return SandboxUser.Admin;
        }

        if (!_tokens.TryGetValue(token, out var account))
        {
            return null;
        }

        try
        {
            store.Get(BuiltInResources.ServiceAccounts, account.Namespace, account.Name);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }

        return SandboxUser.ServiceAccount(account.Namespace, account.Name);
    }
}
