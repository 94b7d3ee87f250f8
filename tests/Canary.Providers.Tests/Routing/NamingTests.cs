using Canary.Providers.Naming;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Routing;

public sealed class NamingTests
{
    [Fact]
    public void Service_names_default_to_the_target()
    {
        var names = CanaryNames.Services(TestCanaries.Podinfo());
        Assert.Equal(new ServiceNames("podinfo", "podinfo-primary", "podinfo-canary"), names);
        Assert.Equal("podinfo-primary", CanaryNames.PrimaryWorkload(TestCanaries.Podinfo()));
    }

    [Fact]
    public void Service_name_overrides_the_apex()
    {
        var names = CanaryNames.Services(TestCanaries.Podinfo(c => c.Spec.Service!.Name = "web"));
        Assert.Equal(new ServiceNames("web", "web-primary", "web-canary"), names);
    }

    [Fact]
    public void Selector_label_is_the_first_configured_key_present()
    {
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "podinfo", ["name"] = "legacy" };
        var selector = SelectorLabels.Resolve(labels, SelectorLabels.Defaults, "Deployment", "podinfo", "test");
        Assert.Equal(new TargetSelector("name", "legacy"), selector);
        Assert.Equal("legacy-primary", selector.PrimaryValue);
    }

    [Fact]
    public void Missing_selector_label_uses_Flaggers_message()
    {
        var error = Assert.Throws<TrafficRouterException>(() =>
            SelectorLabels.Resolve(new Dictionary<string, string> { ["x"] = "y" }, SelectorLabels.Defaults, "Deployment", "podinfo", "test"));
        Assert.Equal("deployment podinfo.test spec.selector.matchLabels must contain one of [app name app.kubernetes.io/name]", error.Message);
    }
}
