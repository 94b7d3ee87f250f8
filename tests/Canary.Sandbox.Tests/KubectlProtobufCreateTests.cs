using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Canary.Sandbox.Tests;

/// <summary>kubectl's generator commands send protobuf bodies: Namespace, ConfigMap and Secret are decoded; other kinds get a clear 415.</summary>
public sealed class KubectlProtobufCreateTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private Kubectl K => fx.Kubectl;

    [Fact]
    public async Task Create_namespace_with_kubectl_succeeds()
    {
        var ns = $"pb-{Guid.NewGuid().ToString("N")[..6]}";
        await K.OkAsync($"create namespace {ns}");

        var obj = JsonNode.Parse(await K.OkAsync($"get namespace {ns} -o json"))!;
        Assert.Equal("Namespace", obj["kind"]!.GetValue<string>());
        Assert.Equal(ns, obj["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_configmap_from_literals_keeps_exactly_the_data()
    {
        var ns = await fx.NewNamespaceAsync("pbcm");
        await K.OkAsync($"create configmap cm --from-literal a=1 --from-literal b=2 -n {ns}");

        var obj = JsonNode.Parse(await K.OkAsync($"get configmap cm -n {ns} -o json"))!;
        Assert.Equal(ns, obj["metadata"]!["namespace"]!.GetValue<string>());
        var data = obj["data"]!.AsObject();
        Assert.Equal(["a", "b"], data.Select(p => p.Key).Order());
        Assert.Equal("1", data["a"]!.GetValue<string>());
        Assert.Equal("2", data["b"]!.GetValue<string>());
        Assert.Null(obj["metadata"]!["labels"]);
        Assert.Null(obj["binaryData"]);
    }

    [Fact]
    public async Task Create_generic_secret_from_literal_keeps_exactly_the_data()
    {
        var ns = await fx.NewNamespaceAsync("pbsec");
        await K.OkAsync($"create secret generic s --from-literal pw=hunter2 -n {ns}");

        var obj = JsonNode.Parse(await K.OkAsync($"get secret s -n {ns} -o json"))!;
        Assert.Equal("Opaque", obj["type"]!.GetValue<string>());
        var data = obj["data"]!.AsObject();
        Assert.Equal(["pw"], data.Select(p => p.Key));
        Assert.Equal(Convert.ToBase64String("hunter2"u8.ToArray()), data["pw"]!.GetValue<string>());
        Assert.Null(obj["metadata"]!["labels"]);
    }

    [Fact]
    public async Task Labels_and_annotations_survive_the_protobuf_path()
    {
        var ns = await fx.NewNamespaceAsync("pblbl");
        // --save-config makes kubectl put an annotation into the protobuf ObjectMeta (field 12).
        await K.OkAsync($"create configmap labelled --from-literal k=v --save-config -n {ns}");
        var obj = JsonNode.Parse(await K.OkAsync($"get configmap labelled -n {ns} -o json"))!;
        var annotations = obj["metadata"]!["annotations"]!.AsObject();
        Assert.True(annotations.ContainsKey("kubectl.kubernetes.io/last-applied-configuration"));
        Assert.Equal("v", obj["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public async Task Other_kinds_sent_as_protobuf_get_a_clear_415()
    {
        var ns = await fx.NewNamespaceAsync("pbdep");
        var result = await K.RunAsync($"create deployment d --image=x -n {ns}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("protobuf bodies are supported only for v1 Namespace, ConfigMap, Secret", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("kubectl create -f", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("kubectl apply -f", result.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, (await K.RunAsync($"get deployment d -n {ns}")).ExitCode);
    }

    [Fact]
    public async Task Hand_encoded_configmap_with_labels_binary_data_and_unknown_fields_decodes_exactly()
    {
        var ns = await fx.NewNamespaceAsync("pbraw");
        var meta = Concat(
            Str(1, "raw"),
            Str(3, ns),
            Tag(4, 1), Enumerable.Repeat((byte)0xAA, 8).ToArray(), // unknown fixed64
            Tag(5, 5), [1, 2, 3, 4], // unknown fixed32
            Tag(6, 0), Varint(300), // unknown varint
            Msg(11, Concat(Str(1, "app"), Str(2, "web"))),
            Msg(11, Concat(Str(1, "tier"), Str(2, "backend"))),
            Msg(12, Concat(Str(1, "note"), Str(2, "hi"))));
        var configMap = Concat(
            Msg(1, meta),
            Msg(2, Concat(Str(1, "a"), Str(2, "1"))),
            Msg(3, Concat(Str(1, "bin"), Bytes(2, [0, 255]))),
            Tag(4, 0), [1],
            Tag(99, 5), [0, 0, 0, 0]);
        var unknown = Concat(Msg(1, Concat(Str(1, "v1"), Str(2, "ConfigMap"))), Bytes(2, configMap), Str(4, "application/vnd.kubernetes.protobuf"));
        var body = Concat("k8s\0"u8.ToArray(), unknown);

        using var http = new HttpClient { BaseAddress = fx.Server.BaseUrl };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        using var response = await http.PostAsync(new Uri($"/api/v1/namespaces/{ns}/configmaps", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var obj = JsonNode.Parse(await K.OkAsync($"get configmap raw -n {ns} -o json"))!;
        Assert.Equal("""{"app":"web","tier":"backend"}""", obj["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("""{"note":"hi"}""", obj["metadata"]!["annotations"]!.ToJsonString());
        Assert.Equal("""{"a":"1"}""", obj["data"]!.ToJsonString());
        Assert.Equal("""{"bin":"AP8="}""", obj["binaryData"]!.ToJsonString());
        Assert.True(obj["immutable"]!.GetValue<bool>());
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return bytes.ToArray();
    }

    private static byte[] Tag(int field, int wire) => Varint((ulong)((field << 3) | wire));

    private static byte[] Bytes(int field, byte[] value) => Concat(Tag(field, 2), Varint((ulong)value.Length), value);

    private static byte[] Str(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Msg(int field, byte[] message) => Bytes(field, message);
}
