namespace Canary.Api.Crd;

// KubernetesClient ships no XML docs at run time, so the schema of metav1.Condition is written out with upstream's
// required fields and short descriptions instead of being reflected without any.
internal static class ConditionSchema
{
    public static OrderedDictionary<string, object> Build() => new()
    {
        ["type"] = "object",
        ["description"] = "Condition of the object (metav1.Condition).",
        ["properties"] = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["lastTransitionTime"] = Field("string", "Last time the condition changed status.", "date-time"),
            ["message"] = Field("string", "Human-readable details of the last transition."),
            ["observedGeneration"] = Field("integer", "metadata.generation the condition was set for.", "int64"),
            ["reason"] = Field("string", "CamelCase reason of the last transition."),
            ["status"] = Enum("Status of the condition: True, False or Unknown.", "True", "False", "Unknown"),
            ["type"] = Field("string", "Type of the condition, e.g. Promoted."),
        },
        ["required"] = new List<string> { "status", "type" },
    };

    private static OrderedDictionary<string, object> Field(string type, string description, string? format = null)
    {
        var node = new OrderedDictionary<string, object> { ["type"] = type, ["description"] = description };
        if (format is not null)
        {
            node["format"] = format;
        }

        return node;
    }

    private static OrderedDictionary<string, object> Enum(string description, params string[] values) =>
        new() { ["type"] = "string", ["description"] = description, ["enum"] = values.ToList() };
}
