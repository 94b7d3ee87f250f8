using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;

namespace Canary.Cli.Commands.Live;

/// <summary>Failures of a live command, worded as kubectl words them.</summary>
internal static class ApiErrors
{
    /// <summary>The exit code of a failed command.</summary>
    public const int Failed = 1;

    /// <summary>Runs <paramref name="body"/>, printing what kubectl would print for an API, connection or kubeconfig error (exit 1).</summary>
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            await error.WriteLineAsync(message);
            return Failed;
        }
    }

    /// <summary>kubectl's line for <paramref name="exception"/>, or null for an exception that is not about the cluster.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        CommandException failure => failure.Message,
        HttpOperationException http => FromServer(http),
        KubernetesException { Status: { } status } => $"Error from server ({Reason(status, null)}): {status.Message}",
        KubeConfigException config => "error: " + config.Message,
        HttpRequestException connection => "Unable to connect to the server: " + Innermost(connection).Message,
        _ => null,
    };

    private static string FromServer(HttpOperationException exception)
    {
        var code = exception.Response?.StatusCode;
        var content = exception.Response?.Content;
        V1Status? status = null;
        if (!string.IsNullOrEmpty(content))
        {
            try
            {
                status = KubernetesJson.Deserialize<V1Status>(content);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not a Status: print the body as it came.
            }
        }

        var message = status?.Message is { Length: > 0 } m ? m : string.IsNullOrEmpty(content) ? exception.Message : content.Trim();
        return $"Error from server ({Reason(status, code)}): {message}";
    }

    // kubectl prints the Status reason (Forbidden, NotFound...), else the HTTP status text.
    private static string Reason(V1Status? status, HttpStatusCode? code) =>
        status?.Reason is { Length: > 0 } reason ? reason : code?.ToString() ?? "Unknown";

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
