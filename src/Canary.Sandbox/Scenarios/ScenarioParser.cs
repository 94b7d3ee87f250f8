using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Canary.Api.Durations;
using Canary.Sandbox.ApiServer.Http;
using Canary.Sandbox.Traffic;
using YamlDotNet.Core;

namespace Canary.Sandbox.Scenarios;

/// <summary>
/// Reads one scenario file (YAML, format in benchmarks/decisions/README.md) into a <see cref="Scenario"/>, checking
/// every field; the first problem throws a <see cref="ScenarioFormatException"/> naming the file and the field.
/// </summary>
public static partial class ScenarioParser
{
    /// <summary>Longest scenario name (it is part of a namespace name, at most 63 characters).</summary>
    public const int MaxNameLength = 40;

    /// <summary>Highest accepted request rate (scenario time); the simulator multiplies it by the time scale.</summary>
    public const double MaxRequestsPerSecond = 1000;

    /// <summary>Providers a scenario may name (canary strategy with weights).</summary>
    public static IReadOnlyList<string> Providers { get; } = ["gatewayapi", "gatewayapi:v1", "istio", "nginx"];

    private static readonly string[] TopLevel = ["name", "description", "expect", "provider", "traffic", "primary", "canary", "changes"];
    private static readonly string[] BehaviorFields = ["errorRate", "latencyP50", "latencyP99"];

    /// <summary>Parses <paramref name="text"/>, the content of <paramref name="file"/> (used in messages).</summary>
    public static Scenario Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var root = Load(text, file) as JsonObject ?? throw new ScenarioFormatException(file, string.Empty, "must be a YAML mapping (name:, expect:, ...)");
        var fields = new Fields(file);
        fields.OnlyKnown(root, string.Empty, TopLevel);
        var primary = fields.Behavior(root["primary"], "primary", VersionBehavior.Baseline);
        return new Scenario
        {
            Name = fields.Name(root["name"]),
            Description = fields.OptionalString(root["description"], "description") ?? string.Empty,
            Expect = fields.Expect(root["expect"]),
            Provider = fields.Provider(root["provider"]),
            RequestsPerSecond = fields.Traffic(root["traffic"]),
            Primary = primary,
            Canary = fields.Behavior(root["canary"], "canary", primary),
            Changes = fields.Changes(root["changes"]),
            Source = file,
        };
    }

    /// <summary>Reads and parses a file.</summary>
    public static async Task<Scenario> ParseFileAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioFormatException(path, string.Empty, $"cannot be read: {e.Message}");
        }

        return Parse(text, path);
    }

    private static JsonNode? Load(string text, string file)
    {
        try
        {
            var documents = YamlToJson.ParseAll(text);
            return documents.Count switch
            {
                0 => null,
                1 => documents[0],
                _ => throw new ScenarioFormatException(file, string.Empty, "holds several YAML documents; write one scenario per file"),
            };
        }
        catch (YamlException e)
        {
            throw new ScenarioFormatException(file, string.Empty, $"line {e.Start.Line.ToString(CultureInfo.InvariantCulture)}: not valid YAML: {e.Message}");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    // The checks of one file, each naming the field it reads.
    private sealed class Fields(string file)
    {
        public void OnlyKnown(JsonObject map, string path, string[] known)
        {
            foreach (var (key, _) in map)
            {
                if (!known.Contains(key, StringComparer.Ordinal))
                {
                    throw Error(Join(path, key), $"unknown field (known: {string.Join(", ", known)})");
                }
            }
        }

        public string Name(JsonNode? node)
        {
            var name = OptionalString(node, "name") ?? throw Error("name", "is required");
            if (name.Length > MaxNameLength || !NamePattern().IsMatch(name))
            {
                throw Error("name", $"'{name}' must be lowercase letters, digits and '-', start and end with a letter or digit, at most {MaxNameLength} characters");
            }

            return name;
        }

        public Verdict Expect(JsonNode? node) => OptionalString(node, "expect") switch
        {
            null => throw Error("expect", "is required (promote or rollback)"),
            "promote" => Verdict.Promote,
            "rollback" => Verdict.Rollback,
            var other => throw Error("expect", $"'{other}' must be promote or rollback"),
        };

        public string Provider(JsonNode? node)
        {
            var provider = OptionalString(node, "provider") ?? "gatewayapi";
            return Providers.Contains(provider, StringComparer.Ordinal)
                ? provider
                : throw Error("provider", $"'{provider}' must be one of {string.Join(", ", Providers)} (weighted canary releases)");
        }

        public double Traffic(JsonNode? node)
        {
            if (node is null)
            {
                return 50;
            }

            var map = Map(node, "traffic");
            OnlyKnown(map, "traffic", ["requestsPerSecond"]);
            var rate = Number(map["requestsPerSecond"], "traffic.requestsPerSecond") ?? throw Error("traffic.requestsPerSecond", "is required");
            return rate > 0 && rate <= MaxRequestsPerSecond
                ? rate
                : throw Error("traffic.requestsPerSecond", $"must be above 0 and at most {MaxRequestsPerSecond.ToString(CultureInfo.InvariantCulture)}");
        }

        public VersionBehavior Behavior(JsonNode? node, string path, VersionBehavior defaults)
        {
            if (node is null)
            {
                return defaults;
            }

            var change = Override(node, path);
            var p50 = change.LatencyP50 ?? defaults.LatencyP50;
            var p99 = change.LatencyP99 ?? defaults.LatencyP99;
            if (p99 < p50)
            {
                throw Error(Join(path, change.LatencyP99 is null ? "latencyP50" : "latencyP99"), $"p99 ({Ms(p99)}) must not be below p50 ({Ms(p50)})");
            }

            return new VersionBehavior(change.ErrorRate ?? defaults.ErrorRate, p50, p99);
        }

        public IReadOnlyList<BehaviorChange> Changes(JsonNode? node)
        {
            if (node is null)
            {
                return [];
            }

            if (node is not JsonArray list)
            {
                throw Error("changes", "must be a list of {at, primary, canary}");
            }

            var changes = new List<BehaviorChange>();
            for (var i = 0; i < list.Count; i++)
            {
                var path = $"changes[{i.ToString(CultureInfo.InvariantCulture)}]";
                var map = Map(list[i], path);
                OnlyKnown(map, path, ["at", "primary", "canary"]);
                var at = Duration(map["at"], path + ".at") ?? throw Error(path + ".at", "is required (time after the release starts, e.g. 2m)");
                var primary = map["primary"] is { } p ? Override(p, path + ".primary") : null;
                var canary = map["canary"] is { } c ? Override(c, path + ".canary") : null;
                if (primary is null && canary is null)
                {
                    throw Error(path, "changes nothing: give primary, canary or both");
                }

                changes.Add(new BehaviorChange(at, primary, canary));
            }

            return [.. changes.OrderBy(c => c.At)];
        }

        public string? OptionalString(JsonNode? node, string path) => node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => throw Error(path, "must be a string"),
        };

        private BehaviorOverride Override(JsonNode node, string path)
        {
            var map = Map(node, path);
            OnlyKnown(map, path, BehaviorFields);
            var rate = Number(map["errorRate"], Join(path, "errorRate"));
            if (rate is < 0 or > 1)
            {
                throw Error(Join(path, "errorRate"), "must be between 0 and 1");
            }

            var p50 = Duration(map["latencyP50"], Join(path, "latencyP50"));
            var p99 = Duration(map["latencyP99"], Join(path, "latencyP99"));
            if (p50 == TimeSpan.Zero)
            {
                throw Error(Join(path, "latencyP50"), "must be above 0");
            }

            if (p50 is { } a && p99 is { } b && b < a)
            {
                throw Error(Join(path, "latencyP99"), $"p99 ({Ms(b)}) must not be below p50 ({Ms(a)})");
            }

            return new BehaviorOverride(rate, p50, p99);
        }

        private JsonObject Map(JsonNode? node, string path) =>
            node as JsonObject ?? throw Error(path, "must be a mapping");

        private double? Number(JsonNode? node, string path) => node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && NumberOf(v) is var number && double.IsFinite(number) => number,
            _ => throw Error(path, "must be a number"),
        };

        private TimeSpan? Duration(JsonNode? node, string path)
        {
            if (node is null)
            {
                return null;
            }

            return node is JsonValue v && v.GetValueKind() == JsonValueKind.String && GoDuration.TryParse(v.GetValue<string>(), out var value)
                ? value
                : node is JsonValue n && n.GetValueKind() == JsonValueKind.Number && NumberOf(n) == 0
                    ? TimeSpan.Zero
                    : throw Error(path, $"'{(node is JsonValue text && text.TryGetValue<string>(out var raw) ? raw : node.ToJsonString())}' must be a duration such as 20ms, 1.5s or 2m");
        }

        private static double NumberOf(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

        private ScenarioFormatException Error(string field, string problem) => new(file, field, problem);

        private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

        private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms";
    }
}
