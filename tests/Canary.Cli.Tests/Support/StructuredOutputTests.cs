using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using Canary.Cli.Output;

namespace Canary.Cli.Tests.Support;

public sealed class StructuredOutputTests
{
    [Fact]
    public void Yaml_output_reads_back_as_the_same_json_strings_that_look_like_numbers_or_booleans_stay_strings()
    {
        var value = new JsonObject
        {
            ["name"] = "podinfo",
            ["weight"] = 10,
            ["version"] = "1.10",
            ["flag"] = "true",
            ["empty"] = "",
            ["list"] = new JsonArray("a", 2, null),
            ["nested"] = new JsonObject { ["multi"] = "line one\nline two\n", ["trailing"] = "a \nb", ["yes"] = "yes" },
        };
        using var writer = new StringWriter();
        StructuredOutput.WriteYaml(writer, value);

        var back = Assert.Single(CanaryYaml.ToJsonNodes(writer.ToString()));
        Assert.Equal(value.ToJsonString(), back!.ToJsonString());
        Assert.DoesNotContain("...", writer.ToString(), StringComparison.Ordinal);
    }
}
