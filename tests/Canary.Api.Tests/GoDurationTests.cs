using Canary.Api.Durations;

namespace Canary.Api.Tests;

public class GoDurationTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m", 60_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h2m3.5s", 3_723_500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData(".5s", 500)]
    [InlineData("5.s", 5_000)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("+10s", 10_000)]
    [InlineData("-1m", -60_000)]
    [InlineData("2000us", 2)]
    [InlineData("2000µs", 2)]
    [InlineData("1000000ns", 1)]
    [InlineData("1s500ms", 1_500)]
    public void Parses_go_durations(string text, long milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
        Assert.Equal(value, GoDuration.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("1")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("1 m")]
    [InlineData("1m ")]
    [InlineData("1.2.3s")]
    [InlineData(".s")]
    [InlineData("-")]
    [InlineData("1m-30s")]
    [InlineData("PT1M")]
    [InlineData("99999999999999h")]
    public void Rejects_invalid_input(string? text)
    {
        Assert.False(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.Zero, value);
    }

    [Fact]
    public void Parse_throws_a_format_exception_naming_the_syntax()
    {
        var error = Assert.Throws<FormatException>(() => GoDuration.Parse("ten seconds"));

        Assert.Contains("1m30s", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_723_500, "1h2m3.5s")]
    [InlineData(-60_000, "-1m0s")]
    public void Formats_like_go(long milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
