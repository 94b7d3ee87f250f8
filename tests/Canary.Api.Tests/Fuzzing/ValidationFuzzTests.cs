using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using Canary.Api.Support;
using Canary.Api.V1Beta1;
using Canary.Api.Validation;
using Canary.Fuzzing;
using CsCheck;

namespace Canary.Api.Tests.Fuzzing;

/// <summary>
/// Valid objects mutated field by field (replaced with odd values of any type, removed, unknown fields added): the
/// object either fails to parse with a JSON error (the API server's schema would refuse it), or validation answers
/// without throwing, and every refusal names a field path related to what was changed.
/// </summary>
public sealed class ValidationFuzzTests
{
    // Fixed seeds keep CI reproducible; CsCheck prints the seed of a failing case to replay it.
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out var n) ? n : 3000;

    private static readonly string? Seed = Environment.GetEnvironmentVariable("FUZZ_SEED");

    [Fact]
    public void Mutated_canaries_are_parsed_or_refused_and_every_refusal_names_the_changed_field() =>
        Check<V1Beta1.Canary>("canary-full.yaml", c => CanaryValidation.Validate(c, ApiSupport.Everything));

    [Fact]
    public void Mutated_metric_templates_are_parsed_or_refused_and_every_refusal_names_the_changed_field() =>
        Check<MetricTemplate>("metrictemplate.yaml", t => CanaryValidation.Validate(t, ApiSupport.Everything));

    [Fact]
    public void Mutated_alert_providers_are_parsed_or_refused_and_every_refusal_names_the_changed_field() =>
        Check<AlertProvider>("alertprovider.yaml", CanaryValidation.Validate);

    private static void Check<T>(string file, Func<T, ApiValidationResult> validate)
        where T : class
    {
        var valid = ValidStart<T>((JsonObject)CanaryYaml.ToJsonNodes(TestFiles.Read(file)).Single()!, validate);

        JsonMutations.Of(valid).Sample(
            mutation =>
            {
                T parsed;
                try
                {
                    parsed = CanaryJson.Deserialize<T>(mutation.Document.ToJsonString());
                }
                catch (Exception e) when (e is JsonException or NotSupportedException)
                {
                    // A type the CRD's structural schema refuses (an array where a string is due): the API server answers
                    // 422 and nothing reaches the controller. System.Text.Json reports some shapes as NotSupported.
                    return;
                }

                var result = validate(parsed);
                foreach (var error in result.Errors)
                {
                    Assert.False(string.IsNullOrWhiteSpace(error.Message), $"{mutation}: an error without a message at {error.Path}");
                    Assert.True(error.Path.StartsWith("spec", StringComparison.Ordinal), $"{mutation}: error path '{error.Path}' is not a spec field");
                }

                Assert.True(
                    result.IsValid || result.Errors.Any(e => Related(e.Path, mutation.Path)),
                    $"{mutation}: refused, but no error names it: {result.Summary}");
            },
            iter: Iterations,
            seed: Seed);
    }

    // The test files show every field, including ones this controller refuses (App Mesh, Gloo): drop what is refused, so
    // the fuzzing starts from an object the controller accepts.
    private static JsonObject ValidStart<T>(JsonObject document, Func<T, ApiValidationResult> validate)
        where T : class
    {
        for (var round = 0; round < 5; round++)
        {
            var result = validate(CanaryJson.Deserialize<T>(document.ToJsonString()));
            if (result.IsValid)
            {
                return document;
            }

            foreach (var error in result.Errors)
            {
                var node = JsonMutations.Find(document, error.Path);
                (node?.Parent as JsonObject)?.Remove(node!.GetPropertyName());
            }
        }

        throw new InvalidOperationException("no valid starting point");
    }

    // The refusal names the changed field, one of its parents (a required object removed), one of its children, or a
    // sibling it must agree with (maxReplicas refused when minReplicas grew past it).
    private static bool Related(string error, string changed) =>
        IsWithin(error, changed) || IsWithin(changed, error) || IsWithin(error, Parent(changed));

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? path : path[..cut];
    }

    private static bool IsWithin(string path, string parent) =>
        path == parent || path.StartsWith(parent + ".", StringComparison.Ordinal) || path.StartsWith(parent + "[", StringComparison.Ordinal);
}
