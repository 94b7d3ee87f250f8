using Canary.LoadTester.Commands;

namespace Canary.LoadTester.Tests.Commands;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("1m", 60_000)]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("250000us", 250)]
    [InlineData("1h2m3s4ms", 3_723_004)]
    [InlineData("0", 0)]
    [InlineData("+2s", 2000)]
    [InlineData("-2s", -2000)]
    public void Parses_go_durations(string text, long milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1x")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("1m 30s")]
    [InlineData("1d")]
    public void Refuses_what_go_refuses(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData(3_600_000, "1h")]
    [InlineData(90_000, "1m30s")]
    [InlineData(250, "250ms")]
    [InlineData(7_200_000, "2h")]
    public void Formats_short(long milliseconds, string text) => Assert.Equal(text, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("true", true, true)]
    [InlineData("True", true, true)]
    [InlineData("1", true, true)]
    [InlineData("t", true, true)]
    [InlineData("false", true, false)]
    [InlineData("0", true, false)]
    [InlineData("yes", false, false)]
    [InlineData("", false, false)]
    public void Reads_go_booleans(string text, bool parses, bool value)
    {
        Assert.Equal(parses, GoBool.TryParse(text, out var parsed));
        Assert.Equal(value, parsed);
    }
}
