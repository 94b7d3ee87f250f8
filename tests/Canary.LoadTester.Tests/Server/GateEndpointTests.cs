using Canary.LoadTester.Hosting;
using Canary.LoadTester.Tests.Infrastructure;

namespace Canary.LoadTester.Tests.Server;

/// <summary>Flagger's manual gates, request by request: the same status codes and bodies as its loadtester.</summary>
public sealed class GateEndpointTests
{
    private static readonly string Podinfo = Tester.Payload(null);
    private static readonly string Other = Tester.Payload(null, "other", "test");

    [Fact]
    public async Task Gates_and_rollback_gates_answer_as_flaggers_loadtester()
    {
        await using var tester = await Tester.StartAsync();
        (string Path, string Body, int Status, string Answer)[] steps =
        [
            ("/gate/check", Podinfo, 403, "Forbidden"),      // gates start closed
            ("/gate/open", Podinfo, 202, ""),
            ("/gate/check", Podinfo, 200, "Approved"),
            ("/gate/check", Other, 403, "Forbidden"),        // keyed by name.namespace
            ("/rollback/check", Podinfo, 403, "Forbidden"),  // a rollback gate is another key
            ("/gate/close", Podinfo, 202, ""),
            ("/gate/check", Podinfo, 403, "Forbidden"),
            ("/rollback/open", Podinfo, 202, ""),
            ("/rollback/check", Podinfo, 200, "Approved"),
            ("/gate/check", Podinfo, 403, "Forbidden"),
            ("/rollback/close", Podinfo, 202, ""),
            ("/rollback/check", Podinfo, 403, "Forbidden"),
            ("/gate/approve", "", 200, "OK"),                // no body needed
            ("/gate/halt", "", 403, "Forbidden"),
            ("/healthz", "", 200, "OK"),
            ("/gate/check", "", 400, "decoding the request body failed"),
            ("/gate/open", "{not json", 400, "decoding the request body failed"),
            ("/rollback/check", "{\"name\":\"podinfo\",\"metadata\":{\"n\":1}}", 400, "decoding the request body failed"),
        ];

        foreach (var (path, body, status, answer) in steps)
        {
            var (actualStatus, actualBody) = await tester.PostAsync(path, body);
            Assert.True(status == actualStatus, $"{path} {body}: {actualStatus} {actualBody}, expected {status}");
            if (answer.Length == 0)
            {
                Assert.Equal("", actualBody);
            }
            else
            {
                Assert.StartsWith(answer, actualBody, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Any_method_is_served_and_field_names_match_case_insensitively_as_go_json_does()
    {
        await using var tester = await Tester.StartAsync();

        Assert.Equal((200, "OK"), await tester.GetAsync("/gate/approve"));
        Assert.Equal((200, "OK"), await tester.GetAsync("/healthz"));
        Assert.Equal(202, (await tester.PostAsync("/gate/open", "{\"NAME\":\"podinfo\",\"Namespace\":\"test\",\"unknown\":[1]}", HttpMethod.Put)).Status);
        Assert.Equal((200, "Approved"), await tester.PostAsync("/gate/check", Podinfo));
    }

    [Fact]
    public async Task Namespace_regexp_forbids_gates_of_canaries_outside_it()
    {
        var options = LoadTesterCommandLine.Parse(["--namespace-regexp=^prod"]).Options;
        await using var tester = await Tester.StartAsync(options);

        Assert.Equal((403, "Forbidden"), await tester.PostAsync("/gate/open", Podinfo));
        Assert.Equal((403, "Forbidden"), await tester.PostAsync("/gate/check", Podinfo));
        Assert.Equal((403, "Forbidden"), await tester.PostAsync("/rollback/open", Podinfo));
        Assert.Equal(202, (await tester.PostAsync("/gate/open", Tester.Payload(null, "podinfo", "prod-eu"))).Status);
        Assert.Equal((200, "Approved"), await tester.PostAsync("/gate/check", Tester.Payload(null, "podinfo", "prod-eu")));
        Assert.Equal((200, "OK"), await tester.PostAsync("/gate/approve", Podinfo)); // reads no payload, as Flagger
    }
}
