using Canary.Controller.Kubernetes;

namespace Canary.Controller.Tests.Kubernetes;

public class KubeRequestDigestTests
{
    [Theory]
    [InlineData("GET", "/apis/apps/v1/namespaces/a/deployments", "list", "deployments")]
    [InlineData("GET", "/apis/apps/v1/deployments?watch=true&resourceVersion=5", "watch", "deployments")]
    [InlineData("GET", "/apis/apps/v1/namespaces/a/deployments/web", "get", "deployments")]
    [InlineData("PUT", "/apis/coordination.k8s.io/v1/namespaces/a/leases/l", "update", "leases")]
    [InlineData("PATCH", "/apis/canary.dev/v1beta1/namespaces/a/canaries/c/status", "patch", "canaries/status")]
    [InlineData("POST", "/api/v1/namespaces/a/configmaps", "create", "configmaps")]
    [InlineData("DELETE", "/api/v1/namespaces/a/configmaps/x", "delete", "configmaps")]
    [InlineData("GET", "/api/v1/namespaces", "list", "namespaces")]
    [InlineData("GET", "/api/v1/namespaces/a", "get", "namespaces")]
    public void Classifies_requests(string method, string path, string verb, string resource)
    {
        var digest = KubeRequestDigest.From(new HttpMethod(method), new Uri("http://127.0.0.1:1" + path));
        Assert.Equal(verb, digest.Verb);
        Assert.Equal(resource, digest.Resource);
    }
}
