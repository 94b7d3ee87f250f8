using System.Text.Json.Nodes;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Builders;

public sealed class KnativeTrafficBuilderGoldenTests
{
    [Fact]
    public void A_canary_step_splits_the_users_service_between_its_latest_and_its_primary_revision_and_keeps_the_rest()
    {
        var split = KnativeTrafficBuilder.With(UserService(), "podinfo-00001", KnativeTrafficBuilder.Traffic("podinfo-00001", new RouteState(90, 10, false)));

        Golden.AssertMatches("knative", "canary-90-10", split!);
    }

    [Fact]
    public void Writing_what_the_service_already_holds_changes_nothing()
    {
        var split = KnativeTrafficBuilder.With(UserService(), "podinfo-00001", KnativeTrafficBuilder.Traffic("podinfo-00001", new RouteState(70, 30, false)))!;

        Assert.Null(KnativeTrafficBuilder.With(split, "podinfo-00001", KnativeTrafficBuilder.Traffic("podinfo-00001", new RouteState(70, 30, false))));
    }

    [Theory]
    [InlineData("podinfo-00001", 100, 0)]
    [InlineData("podinfo-00001", 40, 60)]
    [InlineData("podinfo-00002", 100, 0)] // promoted: the primary is the latest revision too
    public void The_split_reads_back_as_written(string primary, int primaryWeight, int canaryWeight)
    {
        var service = KnativeTrafficBuilder.With(UserService(), primary, KnativeTrafficBuilder.Traffic(primary, new RouteState(primaryWeight, canaryWeight, false)))!;

        Assert.Equal(new RouteState(primaryWeight, canaryWeight, false), KnativeTrafficBuilder.ReadRoutes(service));
    }

    [Fact]
    public void Finalizing_gives_knatives_default_back_and_removes_the_primary_annotation()
    {
        var split = KnativeTrafficBuilder.With(UserService(), "podinfo-00001", KnativeTrafficBuilder.Traffic("podinfo-00001", new RouteState(90, 10, false)))!;

        var reverted = KnativeTrafficBuilder.With(split, null, KnativeTrafficBuilder.LatestOnly())!;

        Assert.Null(KnativeTrafficBuilder.PrimaryRevision(reverted));
        Assert.Equal("kept", (string?)reverted["metadata"]!["annotations"]!["team"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"latestRevision":true,"percent":100}]"""), reverted["spec"]!["traffic"]));
        Assert.Null(KnativeTrafficBuilder.ReadRoutes(reverted));
    }

    // A Knative Service as the user applied it and Knative reported it: two revisions, the newest not ready yet.
    private static JsonObject UserService() => JsonNode.Parse("""
        {
          "apiVersion": "serving.knative.dev/v1",
          "kind": "Service",
          "metadata": { "name": "podinfo", "namespace": "test", "resourceVersion": "42", "annotations": { "team": "kept" } },
          "spec": {
            "template": {
              "metadata": { "annotations": { "autoscaling.knative.dev/min-scale": "1" } },
              "spec": { "containers": [ { "image": "ghcr.io/stefanprodan/podinfo:6.0.1" } ] }
            }
          },
          "status": {
            "latestCreatedRevisionName": "podinfo-00002",
            "latestReadyRevisionName": "podinfo-00001",
            "traffic": [ { "revisionName": "podinfo-00001", "latestRevision": true, "percent": 100 } ]
          }
        }
        """)!.AsObject();
}
