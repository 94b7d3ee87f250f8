using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Canary.Sandbox.Traffic.Podinfo;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>podinfo's routes as the simulated pods answer them, without HTTP: statuses, bodies, methods, delays.</summary>
public sealed class PodinfoApiTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("GET", "/status/500", 500)]
    [InlineData("POST", "/status/201", 201)]
    [InlineData("PUT", "/status/404", 404)]
    [InlineData("GET", "/status/0599", 599)]
    public void Status_echoes_the_code_as_podinfo_json(string method, string path, int code)
    {
        var answer = PodinfoApi.Handle(method, path, string.Empty, Now);
        Assert.Equal(code, answer.Status);
        Assert.Equal($"{{\n  \"status\": {code}\n}}", answer.Body);
        Assert.Equal("application/json; charset=utf-8", answer.ContentType);
        Assert.Equal(TimeSpan.Zero, answer.Delay);
    }

    [Fact]
    public void An_informational_code_is_answered_200_with_its_body_as_go_ends_up_doing()
    {
        var answer = PodinfoApi.Handle("GET", "/status/100", string.Empty, Now);
        Assert.Equal(200, answer.Status);
        Assert.Equal("{\n  \"status\": 100\n}", answer.Body);
    }

    [Theory]
    [InlineData("/status/99")]
    [InlineData("/status/600")]
    [InlineData("/status/abc")]
    [InlineData("/status/-500")]
    [InlineData("/status/99999999999")]
    [InlineData("/delay/x")]
    [InlineData("/delay/-1")]
    [InlineData("/delay/86401")]
    public void Invalid_codes_and_delays_answer_400_with_podinfos_error_body(string path)
    {
        var answer = PodinfoApi.Handle("GET", path, string.Empty, Now);
        Assert.Equal(400, answer.Status);
        Assert.StartsWith("{\n  \"code\": 400,\n  \"message\": \"invalid ", answer.Body, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, answer.Delay);
    }

    [Theory]
    [InlineData("DELETE", "/status/500")]
    [InlineData("POST", "/delay/1")]
    [InlineData("GET", "/token")]
    [InlineData("PUT", "/token")]
    [InlineData("POST", "/healthz")]
    [InlineData("HEAD", "/readyz")]
    public void Other_methods_of_a_route_answer_a_bare_405_as_gorilla_mux_does(string method, string path)
    {
        var answer = PodinfoApi.Handle(method, path, string.Empty, Now);
        Assert.Equal(405, answer.Status);
        Assert.Equal(string.Empty, answer.Body);
        Assert.Null(answer.ContentType);
    }

    [Fact]
    public void Delay_waits_the_seconds_asked_for()
    {
        var answer = PodinfoApi.Handle("GET", "/delay/3", string.Empty, Now);
        Assert.Equal(200, answer.Status);
        Assert.Equal("{\n  \"delay\": 3\n}", answer.Body);
        Assert.Equal(TimeSpan.FromSeconds(3), answer.Delay);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public void Health_routes_answer_ok(string path) =>
        Assert.Equal(new PodinfoResponse(200, "{\n  \"status\": \"OK\"\n}", PodinfoApi.JsonContentType, TimeSpan.Zero), PodinfoApi.Handle("GET", path, string.Empty, Now));

    [Theory]
    [InlineData("/")]
    [InlineData("/api/info")]
    [InlineData("/status")]
    [InlineData("/status/500/x")]
    [InlineData("/healthz/")]
    public void Other_paths_answer_ok_as_a_generic_pod(string path) => Assert.Same(PodinfoApi.Ok, PodinfoApi.Handle("GET", path, string.Empty, Now));

    [Theory]
    [InlineData("test", "test")]
    [InlineData("", "anonymous")]
    public void Token_is_an_hs256_jwt_named_after_the_body_expiring_a_minute_later(string body, string name)
    {
        var answer = PodinfoApi.Handle("POST", "/token", body, Now.AddMilliseconds(700));
        Assert.Equal(200, answer.Status);
        var token = Jwt.Read(answer.Body);
        Assert.Equal(name, token.Name);
        Assert.Equal(Now.AddMinutes(1), token.Expires);
        Assert.Equal("2025-01-01T00:01:00Z", token.ExpiresAt);
        Assert.Matches("^\\{\n  \"token\": \"[^\"]+\",\n  \"expires_at\": \"[^\"]+\"\n\\}$", answer.Body);
    }
}

/// <summary>Reads a <c>POST /token</c> answer and checks its JWT: three base64url parts, HS256 signed with the sandbox secret.</summary>
internal static class Jwt
{
    public static (string Name, DateTimeOffset Expires, string ExpiresAt) Read(string body)
    {
        using var answer = JsonDocument.Parse(body);
        var token = answer.RootElement.GetProperty("token").GetString()!;
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.All(parts, p => Assert.Matches("^[A-Za-z0-9_-]+$", p));
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("HS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(PodinfoApi.JwtSecret), Encoding.UTF8.GetBytes($"{parts[0]}.{parts[1]}"));
        Assert.Equal(Base64Url.EncodeToString(signature), parts[2]);
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal("podinfo", claims.RootElement.GetProperty("iss").GetString());
        return (
            claims.RootElement.GetProperty("name").GetString()!,
            DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64()),
            answer.RootElement.GetProperty("expires_at").GetString()!);
    }
}
