using System.Net;
using Canary.Controller.Kubernetes;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Controller.Tests.Kubernetes;

public class KubeResilienceHandlerTests
{
    private sealed class ScriptedHandler(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var answer = answers[Math.Min(Calls, answers.Length - 1)];
            Calls++;
            return Task.FromResult(answer());
        }
    }

    private static HttpResponseMessage Status(HttpStatusCode code, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(code);
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        }

        return response;
    }

    private static (HttpMessageInvoker Invoker, ScriptedHandler Inner) Build(TimeProvider time, params Func<HttpResponseMessage>[] answers)
    {
        var inner = new ScriptedHandler(answers);
        var handler = new KubeResilienceHandler(KubeResiliencePipeline.Create(time, new KubeResilienceOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxRetries = 3 }))
        {
            InnerHandler = inner,
        };
        return (new HttpMessageInvoker(handler), inner);
    }

    private static async Task<HttpResponseMessage> DriveAsync(FakeTimeProvider time, Task<HttpResponseMessage> call)
    {
        for (var i = 0; i < 200 && !call.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        return await call.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Honours_Retry_After_on_429()
    {
        var time = new FakeTimeProvider();
        var (invoker, inner) = Build(time, () => Status(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(3)), () => Status(HttpStatusCode.OK));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://x/api/v1/namespaces/a/configmaps");
        var call = invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(1, inner.Calls);
        time.Advance(TimeSpan.FromSeconds(2.9));
        await Task.Yield();
        Assert.Equal(1, inner.Calls);
        using var response = await DriveAsync(time, call);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Calls);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Retries_server_errors_for_reads(HttpStatusCode code)
    {
        var time = new FakeTimeProvider();
        var (invoker, inner) = Build(time, () => Status(code), () => Status(code), () => Status(HttpStatusCode.OK));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://x/api/v1/namespaces/a/configmaps");
        using var response = await DriveAsync(time, invoker.SendAsync(request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task Does_not_retry_a_create_that_failed_with_500()
    {
        var time = new FakeTimeProvider();
        var (invoker, inner) = Build(time, () => Status(HttpStatusCode.InternalServerError), () => Status(HttpStatusCode.OK));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://x/api/v1/namespaces/a/configmaps");
        using var response = await DriveAsync(time, invoker.SendAsync(request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Gone)]
    public async Task Never_retries_answers_the_caller_must_handle(HttpStatusCode code)
    {
        var time = new FakeTimeProvider();
        var (invoker, inner) = Build(time, () => Status(code), () => Status(HttpStatusCode.OK));
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://x/api/v1/namespaces/a/configmaps/b");
        using var response = await DriveAsync(time, invoker.SendAsync(request, CancellationToken.None));

        Assert.Equal(code, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Gives_up_after_the_retry_budget()
    {
        var time = new FakeTimeProvider();
        var (invoker, inner) = Build(time, () => Status(HttpStatusCode.ServiceUnavailable));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://x/api/v1/configmaps");
        using var response = await DriveAsync(time, invoker.SendAsync(request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(4, inner.Calls);
    }
}
