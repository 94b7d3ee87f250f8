using Canary.LoadTester.Commands;

namespace Canary.LoadTester.Tests.Commands;

public sealed class ShellWordsTests
{
    public static TheoryData<string, string[]> Splits => new()
    {
        { "hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/", ["hey", "-z", "1m", "-q", "10", "-c", "2", "http://podinfo-canary.test:9898/"] },
        { "  hey\t-n 5   http://x/  ", ["hey", "-n", "5", "http://x/"] },
        { "hey -H 'X-Test: a b' http://x/", ["hey", "-H", "X-Test: a b", "http://x/"] },
        { "hey -H \"X-Test: a b\" http://x/", ["hey", "-H", "X-Test: a b", "http://x/"] },
        { "hey -d '{\"name\":\"$HOME\"}' http://x/", ["hey", "-d", "{\"name\":\"$HOME\"}", "http://x/"] },
        { "hey -d \"say \\\"hi\\\" \\$5 \\\\ \\n\" http://x/", ["hey", "-d", "say \"hi\" $5 \\ \\n", "http://x/"] },
        { "hey -H X-Test:\\ a\\ b http://x/", ["hey", "-H", "X-Test: a b", "http://x/"] },
        { "hey a'b'\"c\"d", ["hey", "abcd"] },
        { "hey '' x", ["hey", "", "x"] },
        { "hey 'http://x/?a=1&b=2'", ["hey", "http://x/?a=1&b=2"] },
        { "hey http://x/?q=*[a] # load the canary", ["hey", "http://x/?q=*[a]"] },
        { "hey http://x/#frag", ["hey", "http://x/#frag"] },
        { "hey x=y", ["hey", "x=y"] },
        { "hey http://x/\n", ["hey", "http://x/"] },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void Splits_words_as_sh_does_for_a_simple_command(string line, string[] expected)
    {
        Assert.Equal(expected, ShellWords.Split(line));
    }

    [Theory]
    [InlineData("hey http://x/ | tee out", "'|'")]
    [InlineData("hey http://x/ || true", "'|'")]
    [InlineData("hey http://x/ && touch f", "'&'")]
    [InlineData("hey http://x/ &", "'&'")]
    [InlineData("hey http://x/?a=1&b=2", "'&'")]
    [InlineData("hey http://x/; touch f", "';'")]
    [InlineData("hey http://x/ > out", "'>'")]
    [InlineData("hey http://x/ < in", "'<'")]
    [InlineData("hey http://x/ 2>&1", "'>'")]
    [InlineData("(hey http://x/)", "'('")]
    [InlineData("hey $URL", "'$'")]
    [InlineData("hey ${URL}", "'$'")]
    [InlineData("hey $(cat url)", "'$'")]
    [InlineData("hey \"$URL\"", "'$' in double quotes")]
    [InlineData("hey `cat url`", "'`'")]
    [InlineData("hey \"`cat url`\"", "'`' in double quotes")]
    [InlineData("hey ~/url", "'~'")]
    [InlineData("URL=http://x/ hey $URL", "environment assignment")]
    [InlineData("hey http://x/\ntouch f", "a second line")]
    [InlineData("hey 'http://x/", "unterminated single quote")]
    [InlineData("hey \"http://x/", "unterminated double quote")]
    [InlineData("hey http://x/ \\", "trailing backslash")]
    public void Refuses_what_only_a_shell_would_give_a_meaning(string line, string named)
    {
        var e = Assert.Throws<ShellSyntaxException>(() => ShellWords.Split(line));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains("never runs a shell", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_operators_are_plain_characters()
    {
        Assert.Equal(["curl", "-d", "a|b;c&d>e<f$g`h`(i)"], ShellWords.Split("curl -d 'a|b;c&d>e<f$g`h`(i)'"));
        Assert.Equal(["echo", "a;b"], ShellWords.Split("echo a\\;b"));
    }
}
