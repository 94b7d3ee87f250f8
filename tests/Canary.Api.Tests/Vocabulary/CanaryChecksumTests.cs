using Canary.Api.Vocabulary;

namespace Canary.Api.Tests.Vocabulary;

public class CanaryChecksumTests
{
    [Fact]
    public void Spew_rendering_matches_go_spew_percent_hash_v_with_sorted_keys()
    {
        var configs = new Dictionary<string, string> { ["secret/b"] = "2", ["configmap/a"] = "1" };

        var text = CanaryChecksum.SpewFormat(configs, "85d557f47b");

        Assert.Equal(
            "(struct { TrackedConfigs *map[string]string; LastAppliedSpec string }){TrackedConfigs:(*map[string]string)map[configmap/a:1 secret/b:2] LastAppliedSpec:(string)85d557f47b}",
            text);
    }

    [Fact]
    public void Nil_tracked_configs_render_as_nil_and_hash_differently_from_an_empty_map()
    {
        Assert.Equal(
            "(struct { TrackedConfigs *map[string]string; LastAppliedSpec string }){TrackedConfigs:(*map[string]string)<nil> LastAppliedSpec:(string)}",
            CanaryChecksum.SpewFormat(null, null));
        Assert.NotEqual(CanaryChecksum.Compute(null, "x"), CanaryChecksum.Compute(new Dictionary<string, string>(), "x"));
    }

    [Fact]
    public void Checksum_is_the_safe_encoded_decimal_fnv32a_and_changes_with_the_revision()
    {
        var a = CanaryChecksum.Compute(new Dictionary<string, string> { ["configmap/a"] = "1" }, "rev1");
        var b = CanaryChecksum.Compute(new Dictionary<string, string> { ["configmap/a"] = "2" }, "rev1");
        var c = CanaryChecksum.Compute(new Dictionary<string, string> { ["configmap/a"] = "1" }, "rev2");

        Assert.Equal(a, CanaryChecksum.Compute(new Dictionary<string, string> { ["configmap/a"] = "1" }, "rev1"));
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);
        // rand.SafeEncodeString maps each decimal digit to one of "bcdfghjklmnpqrstvwxz2456789": never vowels.
        Assert.Matches("^[456789bcdf]{1,10}$", a);
    }
}
