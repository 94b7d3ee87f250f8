using System.Net;
using System.Net.Http.Headers;
using Canary.Api.Http;

namespace Canary.Webhooks.Tests.Http;

/// <summary>The redirect policy shared by every outbound client, against a scripted inner handler (no network).</summary>
public sealed class SameOriginRedirectHandlerTests
{
    /// <summary>Answers each request with the next scripted (status, Location) and records what it was sent.</summary>
    private sealed class ScriptedHandler(params (HttpStatusCode Status, string? Location)[] answers) : HttpMessageHandler
    {
        private int _next;

        public List<(HttpMethod Method, Uri Uri, string? Body, string? Authorization)> Sent { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            Sent.Add((request.Method, request.RequestUri!, body, request.Headers.Authorization?.ToString()));
            var (status, location) = answers[Math.Min(_next++, answers.Length - 1)];
            var response = new HttpResponseMessage(status) { RequestMessage = request };
            if (location is not null)
            {
                response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
            }

            return response;
        }
    }

    private static async Task<(HttpResponseMessage Response, ScriptedHandler Inner)> SendAsync(
        HttpMethod method, string url, (HttpStatusCode, string?)[] answers, Action<OutboundHttpOptions>? configure = null, bool withAuthorization = false)
    {
        var options = new OutboundHttpOptions();
        configure?.Invoke(options);
        var inner = new ScriptedHandler(answers);
        using var client = new HttpClient(new SameOriginRedirectHandler(options, inner));
        using var request = new HttpRequestMessage(method, url);
        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent("payload");
        }

        if (withAuthorization)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret");
        }

        return (await client.SendAsync(request), inner);
    }

    private static readonly (HttpStatusCode, string?) Ok = (HttpStatusCode.OK, null);

    [Theory]
    [InlineData(HttpStatusCode.MovedPermanently, "POST", "GET", null)]
    [InlineData(HttpStatusCode.Found, "POST", "GET", null)]
    [InlineData(HttpStatusCode.Found, "PUT", "PUT", "payload")]
    [InlineData(HttpStatusCode.SeeOther, "PUT", "GET", null)]
    [InlineData(HttpStatusCode.TemporaryRedirect, "POST", "POST", "payload")]
    [InlineData(HttpStatusCode.PermanentRedirect, "POST", "POST", "payload")]
    public async Task Follows_a_same_origin_redirect_with_the_method_and_body_browsers_use(
        HttpStatusCode status, string method, string expectedMethod, string? expectedBody)
    {
        var (response, inner) = await SendAsync(new HttpMethod(method), "http://hooks.test/a", [(status, "/b?x=1"), Ok]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Sent.Count);
        Assert.Equal((new HttpMethod(expectedMethod), new Uri("http://hooks.test/b?x=1"), expectedBody), (inner.Sent[1].Method, inner.Sent[1].Uri, inner.Sent[1].Body));
    }

    [Theory]
    [InlineData("http://hooks.test:80/b")] // the default port written out is the same origin
    [InlineData("http://HOOKS.test/b")]
    public async Task Same_origin_is_scheme_host_and_port_and_keeps_the_authorization(string location)
    {
        var (response, inner) = await SendAsync(HttpMethod.Get, "http://hooks.test/a", [(HttpStatusCode.Found, location), Ok], withAuthorization: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer secret", inner.Sent[1].Authorization);
    }

    [Theory]
    [InlineData("http://other.test/b")]
    [InlineData("http://hooks.test:8080/b")] // another port
    [InlineData("https://hooks.test/b")] // another scheme
    public async Task Refuses_another_origin_without_sending_anything_there(string location)
    {
        var ex = await Assert.ThrowsAsync<RedirectRefusedException>(() =>
            SendAsync(HttpMethod.Post, "http://hooks.test/secret/path", [(HttpStatusCode.TemporaryRedirect, location), Ok]));

        var origin = new Uri(location).GetLeftPart(UriPartial.Authority);
        Assert.Equal($"redirect to {origin}/ refused: only same-origin redirects are followed", ex.Message);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, ex.StatusCode);
    }

    [Fact]
    public async Task The_refusal_names_only_the_origin_never_the_path_or_query_which_may_be_a_secret()
    {
        var ex = await Assert.ThrowsAsync<RedirectRefusedException>(() =>
            SendAsync(HttpMethod.Post, "http://hooks.test/a", [(HttpStatusCode.Found, "https://hooks.slack.test/services/T0/B0/XXXX?token=y"), Ok]));

        Assert.Equal("redirect to https://hooks.slack.test/ refused: only same-origin redirects are followed", ex.Message);
    }

    [Theory]
    [InlineData("other.test", "http://other.test/b")]
    [InlineData("OTHER.test", "http://other.test:8080/b")] // a host entry allows every port
    [InlineData("other.test:8080", "http://other.test:8080/b")]
    [InlineData("*", "https://anywhere.test/b")]
    public async Task Follows_a_redirect_to_an_allowed_host_but_drops_the_authorization(string allowed, string location)
    {
        var (response, inner) = await SendAsync(
            HttpMethod.Post, "http://hooks.test/a", [(HttpStatusCode.TemporaryRedirect, location), Ok], o => o.AllowedRedirectHosts.Add(allowed), withAuthorization: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((HttpMethod.Post, new Uri(location), "payload", (string?)null), inner.Sent[1]);
    }

    [Fact]
    public async Task A_host_and_port_entry_allows_that_port_only()
    {
        var ex = await Assert.ThrowsAsync<RedirectRefusedException>(() => SendAsync(
            HttpMethod.Get, "http://hooks.test/a", [(HttpStatusCode.Found, "http://other.test:9090/b"), Ok], o => o.AllowedRedirectHosts.Add("other.test:8080")));

        Assert.Equal("redirect to http://other.test:9090/ refused: only same-origin redirects are followed", ex.Message);
    }

    [Fact]
    public async Task Https_is_never_redirected_to_http_even_to_an_allowed_host()
    {
        var ex = await Assert.ThrowsAsync<RedirectRefusedException>(() => SendAsync(
            HttpMethod.Get, "https://hooks.test/a", [(HttpStatusCode.Found, "http://other.test/b"), Ok], o => o.AllowedRedirectHosts.Add("*")));

        Assert.Equal("redirect to http://other.test/ refused: https is never redirected to http", ex.Message);
    }

    [Theory]
    [InlineData(0, "redirects are not followed")]
    [InlineData(2, "more than 2 redirects")]
    public async Task Stops_after_MaxRedirects(int max, string reason)
    {
        var options = new OutboundHttpOptions { MaxRedirects = max };
        var inner = new ScriptedHandler((HttpStatusCode.Found, "/again"));
        using var client = new HttpClient(new SameOriginRedirectHandler(options, inner));

        var ex = await Assert.ThrowsAsync<RedirectRefusedException>(() => client.GetAsync(new Uri("http://hooks.test/a")));

        Assert.Equal($"redirect to http://hooks.test/ refused: {reason}", ex.Message);
        Assert.Equal(max + 1, inner.Sent.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotModified, "/b")]
    [InlineData(HttpStatusCode.MultipleChoices, "/b")]
    [InlineData(HttpStatusCode.Found, null)]
    public async Task Other_3xx_answers_and_redirects_without_location_are_returned_as_they_are(HttpStatusCode status, string? location)
    {
        var (response, inner) = await SendAsync(HttpMethod.Get, "http://hooks.test/a", [(status, location), Ok]);

        Assert.Equal(status, response.StatusCode);
        Assert.Single(inner.Sent);
    }
}
