using k8s;
using k8s.Models;

namespace Canary.Sandbox.Tests;

/// <summary>
/// Reads in the PartialObjectMetadata form (Accept <c>as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1</c>), as a real
/// server answers them: metadata and nothing else, for get, list and every watch event.
/// </summary>
public sealed class MetadataOnlyTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private static Dictionary<string, IReadOnlyList<string>> Accept(string form) =>
        new() { ["Accept"] = [$"application/json;as={form};g=meta.k8s.io;v=v1"] };

    [Fact]
    public async Task Get_list_and_watch_give_the_metadata_of_secrets_without_their_data()
    {
        var ns = await fx.NewNamespaceAsync();
        await fx.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "creds", Labels = new Dictionary<string, string> { ["team"] = "web" } }, StringData = new Dictionary<string, string> { ["token"] = "s3cr3t" } },
            ns);

        var one = await fx.Client.CoreV1.ReadNamespacedSecretWithHttpMessagesAsync("creds", ns, customHeaders: Accept("PartialObjectMetadata"));
        var list = await fx.Client.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(ns, customHeaders: Accept("PartialObjectMetadataList"));

        Assert.Equal(("PartialObjectMetadata", "meta.k8s.io/v1", "web"), (one.Body.Kind, one.Body.ApiVersion, one.Body.Metadata.Labels["team"]));
        Assert.Null(one.Body.Data);
        Assert.Null(one.Body.Type);
        Assert.Equal(("PartialObjectMetadataList", "meta.k8s.io/v1"), (list.Body.Kind, list.Body.ApiVersion));
        var item = Assert.Single(list.Body.Items);
        Assert.Equal("creds", item.Metadata.Name);
        Assert.Null(item.Data);
        Assert.False(string.IsNullOrEmpty(list.Body.Metadata.ResourceVersion));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var watch = fx.Client.CoreV1.ListNamespacedSecretWithHttpMessagesAsync(
            ns, watch: true, resourceVersion: list.Body.Metadata.ResourceVersion, customHeaders: Accept("PartialObjectMetadata"), cancellationToken: stop.Token);
        // The list call with watch=true is the one that takes the Accept header of the metadata form.
#pragma warning disable CS0618
        var events = watch.WatchAsync<V1Secret, V1SecretList>(cancellationToken: stop.Token).GetAsyncEnumerator(stop.Token);
#pragma warning restore CS0618
        await fx.Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("{\"stringData\":{\"token\":\"changed\"}}", V1Patch.PatchType.MergePatch), "creds", ns);

        Assert.True(await events.MoveNextAsync());
        var (type, secret) = events.Current;
        Assert.Equal(WatchEventType.Modified, type);
        Assert.Equal("PartialObjectMetadata", secret.Kind);
        Assert.Null(secret.Data);
        Assert.NotEqual(item.Metadata.ResourceVersion, secret.Metadata.ResourceVersion);
        await events.DisposeAsync();
    }

    [Fact]
    public async Task Without_the_metadata_form_the_data_is_served_as_before()
    {
        var ns = await fx.NewNamespaceAsync();
        await fx.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "creds" }, StringData = new Dictionary<string, string> { ["token"] = "s3cr3t" } }, ns);

        var secret = await fx.Client.CoreV1.ReadNamespacedSecretAsync("creds", ns);

        Assert.Equal("Secret", secret.Kind);
        Assert.Equal("s3cr3t"u8.ToArray(), secret.Data["token"]);
    }
}
