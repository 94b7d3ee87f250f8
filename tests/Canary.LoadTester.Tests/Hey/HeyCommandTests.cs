using System.Text;
using Canary.LoadTester.Commands;
using Canary.LoadTester.Hey;

namespace Canary.LoadTester.Tests.Hey;

public sealed class HeyCommandTests
{
    private static HeyOptions Parse(string line) => HeyCommand.Parse(ShellWords.Split(line));

    private static string Header(HeyOptions options, string name) =>
        options.Headers.Single(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    [Fact]
    public void Defaults_are_heys()
    {
        var o = Parse("http://podinfo-canary.test:9898/");

        Assert.Equal(new Uri("http://podinfo-canary.test:9898/"), o.Url);
        Assert.Equal("GET", o.Method);
        Assert.Equal(200, o.Requests);
        Assert.Equal(50, o.Workers);
        Assert.Equal(0, o.RatePerWorker);
        Assert.Null(o.Interval);
        Assert.Null(o.Duration);
        Assert.Equal(TimeSpan.FromSeconds(20), o.Timeout);
        Assert.Equal("text/html", Header(o, "Content-Type"));
        Assert.Equal("hey/0.0.1", Header(o, "User-Agent"));
        Assert.True(o.Body.IsEmpty);
        Assert.Equal(4, o.RequestsPerWorker);
    }

    [Fact]
    public void Flaggers_documented_command_parses()
    {
        var o = Parse("-z 1m -q 10 -c 2 http://podinfo-canary.test:9898/");

        Assert.Equal(TimeSpan.FromMinutes(1), o.Duration);
        Assert.Equal(10, o.RatePerWorker);
        Assert.Equal(TimeSpan.FromMilliseconds(100), o.Interval);
        Assert.Equal(2, o.Workers);
        Assert.Equal(long.MaxValue, o.RequestsPerWorker);
    }

    [Theory]
    [InlineData("-n 50 -c 5 http://x/", 10)]
    [InlineData("-n 52 -c 5 http://x/", 10)]
    [InlineData("-n=7 --c=7 http://x/", 1)]
    public void Each_worker_sends_n_over_c(string line, long perWorker) => Assert.Equal(perWorker, Parse(line).RequestsPerWorker);

    [Fact]
    public void Every_request_flag_is_read()
    {
        var o = Parse("-m post -H 'x-trace-id: abc' -H 'Accept: text/plain' -A application/xml -d '{\"a\":1}' -T application/json "
            + "-host podinfo.example -U bench -a user:secret -t 3 -q 2.5 -x 127.0.0.1:3128 -h2 -disable-compression "
            + "-disable-keepalive -disable-redirects -cpus 1 https://x/api");

        Assert.Equal("POST", o.Method);
        Assert.Equal("abc", Header(o, "X-Trace-Id"));
        Assert.Equal("application/xml", Header(o, "Accept"));
        Assert.Equal("application/json", Header(o, "Content-Type"));
        Assert.Equal("bench hey/0.0.1", Header(o, "User-Agent"));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:secret")), Header(o, "Authorization"));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(o.Body.Span));
        Assert.Equal("podinfo.example", o.Host);
        Assert.Equal(TimeSpan.FromSeconds(3), o.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(400), o.Interval);
        Assert.Equal(new Uri("http://127.0.0.1:3128"), o.Proxy);
        Assert.True(o.Http2);
        Assert.True(o.DisableCompression);
        Assert.True(o.DisableKeepAlive);
        Assert.True(o.DisableRedirects);
    }

    [Fact]
    public void Header_flags_set_like_gos_header_set()
    {
        var o = Parse("-H 'content-type: application/json' -H 'X-A: 1' -H 'x-a: 2' -H 'User-Agent: probe' -H 'Host: from-header' http://x/");

        Assert.Equal("application/json", Header(o, "Content-Type"));
        Assert.Equal("2", Header(o, "X-A"));
        Assert.Single(o.Headers, h => h.Key == "X-A");
        Assert.Equal("probe hey/0.0.1", Header(o, "User-Agent"));
        Assert.Equal("from-header", o.Host);
        Assert.Equal("-host-wins", Parse("-host -host-wins -H 'Host: from-header' http://x/").Host);
    }

    [Theory]
    [InlineData("-t 0 http://x/")]
    [InlineData("-t -1 http://x/")]
    public void A_zero_timeout_is_none(string line) => Assert.Null(Parse(line).Timeout);

    [Theory]
    [InlineData("", "URL is missing")]
    [InlineData("-n 5", "URL is missing")]
    [InlineData("-n 0 http://x/", "-n and -c cannot be smaller than 1.")]
    [InlineData("-c 0 http://x/", "-n and -c cannot be smaller than 1.")]
    [InlineData("-c 0 -z 1s http://x/", "-c cannot be smaller than 1.")]
    [InlineData("-n 5 -c 10 http://x/", "-n cannot be less than -c.")]
    [InlineData("-c 10001 -z 1s http://x/", "at most 10000")]
    [InlineData("-h 'X: y' http://x/", "Flag '-h' is deprecated, please use '-H' instead.")]
    [InlineData("-help", "usage")]
    [InlineData("-k http://x/", "flag provided but not defined: -k")]
    [InlineData("-n abc http://x/", "invalid value \"abc\" for flag -n")]
    [InlineData("-q fast http://x/", "invalid value \"fast\" for flag -q")]
    [InlineData("-z 10 http://x/", "invalid value \"10\" for flag -z")]
    [InlineData("-h2=maybe http://x/", "invalid boolean value")]
    [InlineData("-n", "flag needs an argument: -n")]
    [InlineData("---n 5 http://x/", "bad flag syntax")]
    [InlineData("-H 'no colon' http://x/", "could not parse the provided input")]
    [InlineData("-a nocolon http://x/", "could not parse the provided input")]
    [InlineData("-D /var/run/secrets/kubernetes.io/serviceaccount/token http://x/", "-D (request body from a file) is refused")]
    [InlineData("-o csv http://x/", "-o csv is not supported")]
    [InlineData("podinfo:9898/", "not an absolute http or https URL")]
    [InlineData("file:///etc/passwd", "not an absolute http or https URL")]
    [InlineData("-m 'GE T' http://x/", "invalid method")]
    [InlineData("-x socks5://p:1080 http://x/", "not an HTTP proxy")]
    [InlineData("http://x/ -z 1m", "unexpected argument after the URL: '-z'")]
    public void Refuses_as_hey_exits_with_its_usage_or_by_name(string line, string message)
    {
        var e = Assert.Throws<HeyUsageException>(() => Parse(line));

        Assert.StartsWith("hey: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_double_dash_ends_the_flags()
    {
        Assert.Equal(new Uri("http://x/"), Parse("-n 1 -c 1 -- http://x/").Url);
    }

    [Theory]
    [InlineData("hey", true)]
    [InlineData("/usr/local/bin/hey", true)]
    [InlineData("heyy", false)]
    [InlineData("ghz", false)]
    public void Knows_hey_by_its_program_name(string program, bool isHey) => Assert.Equal(isHey, HeyCommand.IsHey(program));
}
