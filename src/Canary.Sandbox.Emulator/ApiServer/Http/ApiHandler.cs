using System.Text.Json;
using Canary.Sandbox.ApiServer.Accounting;
using Canary.Sandbox.ApiServer.Auth;
using Canary.Sandbox.ApiServer.Faults;
using Canary.Sandbox.ApiServer.Store;
using Microsoft.AspNetCore.Http;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>
/// The single request entry point: routes discovery, OpenAPI and resource requests, applies injected faults
/// to resource requests, turns errors into metav1.Status answers and counts every answer.
/// </summary>
internal sealed class ApiHandler(ObjectStore store, FaultInjector faults, RequestCounters counters, RbacEnforcement rbac, Func<string> serverAddress)
{
    private readonly ResourceEndpoint _resources = new(store, faults);

    public async Task HandleAsync(HttpContext context)
    {
        var path = ApiPath.Parse(context.Request.Path.Value ?? "/");
        var verb = path.Kind == ApiPathKind.Resource ? ResourceEndpoint.Verb(context.Request, path) : context.Request.Method.ToLowerInvariant();
        var label = path.Kind == ApiPathKind.Resource ? path.ResourceLabel : NonResourceLabel(path.Kind);
        var tracked = verb != "watch";
        if (tracked)
        {
            counters.Begin();
        }

        try
        {
            if (path.Kind is not (ApiPathKind.Health or ApiPathKind.Version))
            {
                rbac.Check(context.Request.Headers.Authorization, path.Kind == ApiPathKind.Resource ? Attributes(path, verb) : null);
            }

            if (path.Kind == ApiPathKind.Resource)
            {
                if (faults.Latency > TimeSpan.Zero)
                {
                    await Task.Delay(faults.Latency, context.RequestAborted).ConfigureAwait(false);
                }

                if (faults.PickError(verb, label) is { } code)
                {
                    throw InjectedError(code);
                }

                await _resources.HandleAsync(context, path, verb).ConfigureAwait(false);
            }
            else
            {
                await ServeDocumentAsync(context, path).ConfigureAwait(false);
            }
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await Responses.WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (JsonException e) when (!context.Response.HasStarted)
        {
            await Responses.WriteErrorAsync(context, ApiException.BadRequest("the body of the request could not be decoded: " + e.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
#pragma warning disable CA1031 // a bug in a handler must still answer a Status, as a real server's panic handler does
        catch (Exception e) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            await Responses.WriteErrorAsync(context, new ApiException(500, "InternalError", $"an error on the server (\"{e.GetType().Name}: {e.Message}\") has prevented the request from succeeding")).ConfigureAwait(false);
        }
        finally
        {
            counters.Record(verb, label, context.Response.StatusCode, inFlight: tracked);
        }
    }

    private static ApiException InjectedError(int code) => code switch
    {
        429 => new ApiException(429, "TooManyRequests", "the server has received too many requests and has asked us to try again later (injected fault)") { RetryAfterSeconds = 1 },
        503 => new ApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request (injected fault)") { RetryAfterSeconds = 1 },
        _ => new ApiException(code, "InternalError", "an error on the server (\"injected fault\") has prevented the request from succeeding"),
    };

    private static RequestAttributes Attributes(ApiPath path, string verb) =>
        // A namespace's own URL is authorized in that namespace, as the real request-info resolver does.
        path.Group.Length == 0 && path.Resource == "namespaces" && path.Name is not null
            ? new RequestAttributes(verb, path.Group, path.Resource, path.Subresource, path.Name, path.Name)
            : new RequestAttributes(verb, path.Group, path.Resource, path.Subresource, path.Namespace, path.Name);

    private static string NonResourceLabel(ApiPathKind kind) => kind switch
    {
        ApiPathKind.Version => "/version",
        ApiPathKind.OpenApiIndex or ApiPathKind.OpenApiDocument => "/openapi",
        ApiPathKind.Health => "/healthz",
        ApiPathKind.Unknown => "/unknown",
        _ => "/discovery",
    };

    private async Task ServeDocumentAsync(HttpContext context, ApiPath path)
    {
        if (context.Request.Method != "GET")
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var registry = store.Registry;
        var document = path.Kind switch
        {
            ApiPathKind.Version => DiscoveryDocuments.Version(),
            ApiPathKind.CoreVersions => DiscoveryDocuments.CoreVersions(serverAddress()),
            ApiPathKind.Groups => DiscoveryDocuments.Groups(registry),
            ApiPathKind.Group => DiscoveryDocuments.Group(registry, path.Group),
            ApiPathKind.GroupVersion => DiscoveryDocuments.ResourceList(registry, path.Group, path.Version),
            ApiPathKind.OpenApiIndex => OpenApiDocuments.Index(registry),
            ApiPathKind.OpenApiDocument => OpenApiDocuments.Document(registry, path.DocumentKey ?? string.Empty),
            ApiPathKind.Root => new System.Text.Json.Nodes.JsonObject { ["paths"] = new System.Text.Json.Nodes.JsonArray("/api", "/api/v1", "/apis", "/openapi/v3", "/version") },
            _ => null,
        };
        if (path.Kind == ApiPathKind.Health)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (document is null)
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        await Responses.WriteAsync(context, 200, document).ConfigureAwait(false);
    }
}
