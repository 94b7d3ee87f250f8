using System.Globalization;
using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer.Patching;

/// <summary>RFC 6902 JSON patch: add, remove, replace, move, copy and test operations addressed by JSON pointers.</summary>
public static class JsonPatch
{
    /// <summary>Applies the operations to a copy of the document; a failing operation is a 422.</summary>
    public static JsonNode Apply(JsonNode document, JsonNode? patch)
    {
        if (patch is not JsonArray ops)
        {
            throw ApiException.BadRequest("json patch must be an array of operations");
        }

        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var opNode in ops)
        {
            if (opNode is not JsonObject op)
            {
                throw ApiException.BadRequest("json patch operation must be an object");
            }

            var name = op["op"]?.GetValue<string>() ?? throw Fail("missing op");
            var path = op["path"]?.GetValue<string>() ?? throw Fail($"missing path in {name} operation");
            switch (name)
            {
                case "add":
                    Add(root, path, Value(op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op));
                    break;
                case "move":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw Fail("missing from in move operation");
                        var moved = Get(root, from).DeepClone();
                        Remove(root, from);
                        Add(root, path, moved);
                        break;
                    }

                case "copy":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw Fail("missing from in copy operation");
                        Add(root, path, Get(root, from).DeepClone());
                        break;
                    }

                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), op["value"]))
                    {
                        throw Fail($"testing value {path} failed: test failed");
                    }

                    break;
                default:
                    throw Fail($"unexpected kind of operation: {name}");
            }
        }

        return root["doc"] ?? throw Fail("the document was removed");
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw Fail("missing value");

    private static JsonNode Get(JsonObject root, string path)
    {
        var (parent, token) = Resolve(root, path);
        return parent switch
        {
            JsonObject o when o.TryGetPropertyValue(token, out var v) && v is not null => v,
            JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count && a[i] is { } v => v,
            _ => throw Fail($"path {path} not found"),
        };
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, token) = Resolve(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a when token == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Fail($"add operation does not apply: doc is missing path: {path}");
        }
    }

    private static void Remove(JsonObject root, string path)
    {
        var (parent, token) = Resolve(root, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(token):
                o.Remove(token);
                break;
            case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw Fail($"remove operation does not apply: doc is missing path: \"{path}\"");
        }
    }

    // Returns the container that holds the last token of the pointer.
    private static (JsonNode Parent, string Token) Resolve(JsonObject root, string path)
    {
        if (path.Length > 0 && path[0] != '/')
        {
            throw Fail($"invalid JSON pointer \"{path}\"");
        }

        var tokens = path.Length == 0 ? [] : path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        tokens.Insert(0, "doc");
        JsonNode current = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = current switch
            {
                JsonObject o when o[tokens[i]] is { } next => next,
                JsonArray a when int.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out var idx) && idx < a.Count && a[idx] is { } next => next,
                _ => throw Fail($"doc is missing path: \"{path}\""),
            };
        }

        return (current, tokens[^1]);
    }

    private static ApiException Fail(string message) => new(422, "Invalid", $"the server rejected our request due to an error in our request: {message}");
}
