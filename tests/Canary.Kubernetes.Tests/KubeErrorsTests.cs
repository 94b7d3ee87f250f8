using Canary.Kubernetes.Errors;
using Canary.Kubernetes.Retry;
using Canary.Sandbox.ApiServer;
using k8s;
using k8s.Models;

namespace Canary.Kubernetes.Tests;

/// <summary>How the errors the API server really sends are classified, and what the conflict retry does with them.</summary>
public sealed class KubeErrorsTests : IAsyncLifetime
{
    private SandboxApiServer? _server;

    private IKubernetes Kube { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync();
        Kube = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Kube.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_missing_object_is_not_found_and_reads_as_null()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Kube.CoreV1.ReadNamespacedConfigMapAsync("absent", "default"));

        Assert.True(KubeErrors.IsNotFound(error));
        Assert.False(KubeErrors.IsConflictOrAlreadyExists(error));
        Assert.Null(await KubeErrors.OrNullWhenNotFound(() => Kube.CoreV1.ReadNamespacedConfigMapAsync("absent", "default")));
    }

    [Fact]
    public async Task Creating_twice_is_already_exists_not_a_conflict()
    {
        await Kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("twice"), "default");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("twice"), "default"));

        Assert.Equal("AlreadyExists", KubeErrors.ReasonOf(error));
        Assert.True(KubeErrors.IsAlreadyExists(error));
        Assert.False(KubeErrors.IsConflict(error));
        Assert.True(KubeErrors.IsConflictOrAlreadyExists(error));
    }

    [Fact]
    public async Task A_stale_update_is_a_conflict()
    {
        var stale = await Kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("stale"), "default");
        var fresh = await Kube.CoreV1.ReadNamespacedConfigMapAsync("stale", "default");
        fresh.Data = new Dictionary<string, string> { ["by"] = "other" };
        await Kube.CoreV1.ReplaceNamespacedConfigMapAsync(fresh, "stale", "default");
        stale.Data = new Dictionary<string, string> { ["by"] = "us" };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Kube.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "stale", "default"));

        Assert.True(KubeErrors.IsConflict(error));
        Assert.False(KubeErrors.IsAlreadyExists(error));
    }

    [Fact]
    public async Task The_conflict_retry_re_reads_and_keeps_the_other_writers_change()
    {
        await Kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("shared"), "default");
        var attempts = 0;

        await ConflictRetry.RunAsync(
            async ct =>
            {
                var current = await Kube.CoreV1.ReadNamespacedConfigMapAsync("shared", "default", cancellationToken: ct);
                if (attempts++ == 0)
                {
                    // Another writer gets in between our read and our write.
                    var other = await Kube.CoreV1.ReadNamespacedConfigMapAsync("shared", "default", cancellationToken: ct);
                    other.Data = new Dictionary<string, string> { ["other"] = "yes" };
                    await Kube.CoreV1.ReplaceNamespacedConfigMapAsync(other, "shared", "default", cancellationToken: ct);
                }

                current.Data ??= new Dictionary<string, string>();
                current.Data["ours"] = "yes";
                await Kube.CoreV1.ReplaceNamespacedConfigMapAsync(current, "shared", "default", cancellationToken: ct);
            },
            CancellationToken.None);

        var result = await Kube.CoreV1.ReadNamespacedConfigMapAsync("shared", "default");
        Assert.Equal(2, attempts);
        Assert.Equal("yes", result.Data["ours"]);
        Assert.Equal("yes", result.Data["other"]);
    }

    [Fact]
    public async Task The_conflict_retry_gives_up_after_its_attempts_and_lets_other_errors_through_at_once()
    {
        await Kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("taken"), "default");
        var conflicts = 0;
        var conflict = await Assert.ThrowsAnyAsync<Exception>(() => ConflictRetry.RunAsync(
            async ct =>
            {
                conflicts++;
                await Kube.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("taken"), "default", cancellationToken: ct);
            },
            CancellationToken.None,
            maxAttempts: 3));
        Assert.True(KubeErrors.IsAlreadyExists(conflict));
        Assert.Equal(3, conflicts);

        var notFounds = 0;
        var missing = await Assert.ThrowsAnyAsync<Exception>(() => ConflictRetry.RunAsync(
            async ct =>
            {
                notFounds++;
                await Kube.CoreV1.ReadNamespacedConfigMapAsync("never", "default", cancellationToken: ct);
            },
            CancellationToken.None));
        Assert.True(KubeErrors.IsNotFound(missing));
        Assert.Equal(1, notFounds);
    }

    private static V1ConfigMap ConfigMap(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };
}
