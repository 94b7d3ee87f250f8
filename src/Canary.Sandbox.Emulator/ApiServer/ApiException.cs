using System.Globalization;
using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer;

/// <summary>A failed API call, carried as the metav1.Status the real API server would answer.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, string? name = null, string? group = null, string? kind = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Name = name;
        Group = group;
        Kind = kind;
    }

    public ApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public ApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
    }

    /// <summary>HTTP status code.</summary>
    public int Code { get; }

    /// <summary>metav1.StatusReason (NotFound, AlreadyExists, Conflict, ...).</summary>
    public string Reason { get; }

    public string? Name { get; }

    public string? Group { get; }

    /// <summary>The resource (plural) the error is about, as the real server reports it in details.kind.</summary>
    public string? Kind { get; }

    /// <summary>Seconds a client should wait (429/503), also sent as Retry-After.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Field causes for Invalid errors.</summary>
    public IReadOnlyList<(string Field, string Message)> Causes { get; init; } = [];

    public static ApiException NotFound(string group, string resource, string name) =>
        new(404, "NotFound", $"{Qualified(group, resource)} \"{name}\" not found", name, group, resource);

    public static ApiException AlreadyExists(string group, string resource, string name) =>
        new(409, "AlreadyExists", $"{Qualified(group, resource)} \"{name}\" already exists", name, group, resource);

    public static ApiException Conflict(string group, string resource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(group, resource)} \"{name}\": {why}", name, group, resource);

    public static ApiException Invalid(string group, string kind, string name, string field, string message) =>
        new(422, "Invalid", $"{kind} \"{name}\" is invalid: {field}: {message}", name, group, kind)
        {
            Causes = [(field, message)],
        };

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    /// <summary>The 415 a real server gives for a patch type it does not accept (strategic merge on custom resources).</summary>
    public static ApiException UnsupportedPatchType() =>
        new(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");

    public static ApiException Forbidden(string message) => new(403, "Forbidden", message);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    /// <summary>Renders the error as a metav1.Status object.</summary>
    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
            ["code"] = Code,
        };
        var details = new JsonObject();
        if (Name is not null)
        {
            details["name"] = Name;
        }

        if (!string.IsNullOrEmpty(Group))
        {
            details["group"] = Group;
        }

        if (Kind is not null)
        {
            details["kind"] = Kind;
        }

        if (RetryAfterSeconds is { } retry)
        {
            details["retryAfterSeconds"] = retry;
        }

        if (Causes.Count > 0)
        {
            var causes = new JsonArray();
            foreach (var (field, message) in Causes)
            {
                causes.Add(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = message, ["field"] = field });
            }

            details["causes"] = causes;
        }

        if (details.Count > 0)
        {
            status["details"] = details;
        }

        return status;
    }

    private static string Qualified(string group, string resource) =>
        string.IsNullOrEmpty(group) ? resource : string.Create(CultureInfo.InvariantCulture, $"{resource}.{group}");
}
