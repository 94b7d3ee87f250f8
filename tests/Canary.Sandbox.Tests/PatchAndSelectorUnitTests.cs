using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Selectors;

namespace Canary.Sandbox.Tests;

/// <summary>Strategic merge patch directives and selector parsing, without a server.</summary>
public sealed class PatchAndSelectorUnitTests
{
    private static JsonObject Pod() => (JsonObject)JsonNode.Parse("""
        {"metadata":{"name":"p","finalizers":["a"]},
         "spec":{"containers":[
            {"name":"app","image":"i1","ports":[{"containerPort":80,"name":"http"}],"env":[{"name":"A","value":"1"}],"envFrom":[{"configMapRef":{"name":"x"}}]},
            {"name":"side","image":"s1"}],
          "volumes":[{"name":"v1","emptyDir":{}}],
          "tolerations":[{"key":"k1"}]}}
        """)!;

    private static JsonObject Apply(string patch) => StrategicMergePatch.Apply(Pod(), JsonNode.Parse(patch));

    [Fact]
    public void Lists_with_merge_keys_merge_by_key()
    {
        var r = Apply("""{"spec":{"containers":[{"name":"app","image":"i2","ports":[{"containerPort":443}]}]}}""");
        var app = r["spec"]!["containers"]![0]!;
        Assert.Equal("i2", app["image"]!.GetValue<string>());
        Assert.Equal(2, app["ports"]!.AsArray().Count);
        Assert.Equal("s1", r["spec"]!["containers"]![1]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void Delete_and_replace_directives()
    {
        var r = Apply("""{"spec":{"containers":[{"name":"side","$patch":"delete"}],"volumes":[{"name":"v2"},{"$patch":"replace"}]}}""");
        Assert.Equal("app", Assert.Single(r["spec"]!["containers"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal("v2", Assert.Single(r["spec"]!["volumes"]!.AsArray())!["name"]!.GetValue<string>());

        r = Apply("""{"spec":{"$patch":"replace","containers":[]}}""");
        Assert.Equal(["containers"], r["spec"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Lists_without_merge_keys_are_replaced_and_finalizers_merge_as_a_set()
    {
        var r = Apply("""{"metadata":{"finalizers":["b","a"]},"spec":{"tolerations":[{"key":"k2"}],"containers":[{"name":"app","envFrom":[{"secretRef":{"name":"s"}}]}]}}""");
        Assert.Equal(["a", "b"], r["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("k2", Assert.Single(r["spec"]!["tolerations"]!.AsArray())!["key"]!.GetValue<string>());
        Assert.Single(r["spec"]!["containers"]![0]!["envFrom"]!.AsArray());
    }

    [Fact]
    public void Set_element_order_and_delete_from_primitive_list()
    {
        var r = Apply("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]},"spec":{"$setElementOrder/containers":[{"name":"side"},{"name":"app"}],"containers":[{"name":"side","image":"s2"}]}}""");
        Assert.Empty(r["metadata"]!["finalizers"]!.AsArray());
        Assert.Equal(["side", "app"], r["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("s2", r["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void Json_merge_patch_and_json_patch()
    {
        var merged = JsonMergePatch.Apply(Pod(), JsonNode.Parse("""{"metadata":{"finalizers":null,"labels":{"a":"b"}}}"""))!;
        Assert.Null(merged["metadata"]!["finalizers"]);
        Assert.Equal("b", merged["metadata"]!["labels"]!["a"]!.GetValue<string>());

        var patched = JsonPatch.Apply(Pod(), JsonNode.Parse("""[{"op":"move","from":"/spec/tolerations","path":"/spec/t"},{"op":"copy","from":"/metadata/name","path":"/metadata/n"},{"op":"remove","path":"/spec/containers/1"}]"""));
        Assert.NotNull(patched["spec"]!["t"]);
        Assert.Equal("p", patched["metadata"]!["n"]!.GetValue<string>());
        Assert.Single(patched["spec"]!["containers"]!.AsArray());
        Assert.Equal(422, Assert.Throws<ApiException>(() => JsonPatch.Apply(Pod(), JsonNode.Parse("""[{"op":"remove","path":"/nope"}]"""))).Code);
    }

    [Theory]
    [InlineData("a=b,c in (d, e),!f", "a=b,c in (d,e),!f")]
    [InlineData("x==y, z notin (1)", "x=y,z notin (1)")]
    public void Label_selectors_parse(string text, string normalised) => Assert.Equal(normalised, LabelSelector.Parse(text).ToString());

    [Theory]
    [InlineData("a=(b")]
    [InlineData("a in b")]
    [InlineData("a b")]
    public void Bad_label_selectors_are_400(string text) => Assert.Equal(400, Assert.Throws<ApiException>(() => LabelSelector.Parse(text)).Code);
}
