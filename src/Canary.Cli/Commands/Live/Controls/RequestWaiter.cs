using System.Net;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Errors;
using k8s;

namespace Canary.Cli.Commands.Live.Controls;

/// <summary>Waits, through a watch on the one request (no polling), until the controller has set a CanaryRequest's result.</summary>
internal static class RequestWaiter
{
    /// <summary>The answered request, or null when <paramref name="timeout"/> passed first.</summary>
    public static async Task<CanaryRequest?> WaitAsync(LiveApi api, CanaryRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var ns = request.Metadata.NamespaceProperty;
        var name = request.Metadata.Name;
        var current = request;
        try
        {
            while (!Answered(current))
            {
                try
                {
                    await foreach (var (type, seen) in api.WatchRequest(ns, name, current.Metadata.ResourceVersion, deadline.Token))
                    {
                        if (type == WatchEventType.Deleted)
                        {
                            throw new CommandException($"error: the request {name} was deleted before the controller answered it");
                        }

                        if (type is WatchEventType.Added or WatchEventType.Modified)
                        {
                            current = seen;
                            if (Answered(current))
                            {
                                return current;
                            }
                        }
                        else
                        {
                            current.Metadata.ResourceVersion = seen.Metadata.ResourceVersion;
                        }
                    }
                }
                catch (Exception e) when (Resumable(e, deadline.Token))
                {
                    // The watch broke off: read the request again below and watch from there.
                }

                current = await api.GetRequestAsync(ns, name, deadline.Token);
            }

            return current;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static bool Answered(CanaryRequest request) => !string.IsNullOrEmpty(request.Status?.Result);

    // A connection or stream failure, 410 Gone or a server error is resumed; a refusal (403...) is reported.
    private static bool Resumable(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e is not CommandException
        && KubeErrors.StatusOf(e) is null or HttpStatusCode.Gone or >= HttpStatusCode.InternalServerError;
}
