using System.Text;

namespace Canary.LoadTester.Commands;

/// <summary>A command line that uses shell syntax the tester does not interpret (it never runs a shell).</summary>
public sealed class ShellSyntaxException : FormatException
{
    public ShellSyntaxException()
    {
    }

    public ShellSyntaxException(string message)
        : base(message)
    {
    }

    public ShellSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Splits a command line into words as POSIX <c>sh</c> would for a simple command: blanks separate words,
/// <c>'single'</c> quotes are literal, <c>"double"</c> quotes keep blanks and honour <c>\"</c>, <c>\\</c>, <c>\$</c>,
/// <c>\`</c>, a backslash outside quotes escapes the next character, <c>#</c> at the start of a word begins a comment,
/// and <c>*</c>, <c>?</c>, <c>[</c> stay literal (as <c>sh</c> leaves a pattern that matches no file). Everything that
/// would need a shell to mean something (pipes, lists, redirections, sub-shells, expansions, tilde, leading variable
/// assignments, several lines) is refused with <see cref="ShellSyntaxException"/> naming it: nothing is ever run by a shell,
/// so accepting it would silently run something other than what was written.
/// </summary>
public static class ShellWords
{
    /// <summary>The words of <paramref name="commandLine"/>; throws <see cref="ShellSyntaxException"/> on shell syntax.</summary>
    public static IReadOnlyList<string> Split(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < commandLine.Length)
        {
            var c = commandLine[i];
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    i++;
                    break;
                case '\r' or '\n':
                    if (commandLine[i..].Trim().Length == 0)
                    {
                        i = commandLine.Length;
                        break;
                    }

                    throw Refuse("a second line (a newline separates commands)");
                case '#' when !inWord:
                    i = commandLine.Length;
                    break;
                case '~' when !inWord:
                    throw Refuse("'~' (tilde expansion)");
                case '\\':
                    inWord = true;
                    if (i + 1 >= commandLine.Length)
                    {
                        throw Refuse("a trailing backslash");
                    }

                    if (commandLine[i + 1] != '\n')
                    {
                        word.Append(commandLine[i + 1]);
                    }

                    i += 2;
                    break;
                case '\'':
                    {
                        inWord = true;
                        var end = commandLine.IndexOf('\'', i + 1);
                        if (end < 0)
                        {
                            throw Refuse("an unterminated single quote");
                        }

                        word.Append(commandLine, i + 1, end - i - 1);
                        i = end + 1;
                        break;
                    }

                case '"':
                    inWord = true;
                    i = DoubleQuoted(commandLine, i + 1, word);
                    break;
                case '|':
                    throw Refuse("'|' (a pipe)");
                case '&':
                    throw Refuse("'&' (a background job or an && list)");
                case ';':
                    throw Refuse("';' (a command list)");
                case '<' or '>':
                    throw Refuse($"'{c}' (a redirection)");
                case '(' or ')':
                    throw Refuse($"'{c}' (a sub-shell)");
                case '$':
                    throw Refuse("'$' (a variable or command substitution)");
                case '`':
                    throw Refuse("'`' (a command substitution)");
                default:
                    if (c == '=' && words.Count == 0 && inWord && IsName(word))
                    {
                        throw Refuse($"'{word}=' (an environment assignment)");
                    }

                    inWord = true;
                    word.Append(c);
                    i++;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static int DoubleQuoted(string s, int i, StringBuilder word)
    {
        while (i < s.Length)
        {
            var c = s[i];
            switch (c)
            {
                case '"':
                    return i + 1;
                case '\\' when i + 1 < s.Length && s[i + 1] is '"' or '\\' or '$' or '`':
                    word.Append(s[i + 1]);
                    i += 2;
                    break;
                case '\\' when i + 1 < s.Length && s[i + 1] == '\n':
                    i += 2;
                    break;
                case '$':
                    throw Refuse("'$' in double quotes (a variable or command substitution)");
                case '`':
                    throw Refuse("'`' in double quotes (a command substitution)");
                default:
                    word.Append(c);
                    i++;
                    break;
            }
        }

        throw Refuse("an unterminated double quote");
    }

    private static bool IsName(StringBuilder word)
    {
        if (word.Length == 0 || !(char.IsAsciiLetter(word[0]) || word[0] == '_'))
        {
            return false;
        }

        for (var i = 1; i < word.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(word[i]) || word[i] == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static ShellSyntaxException Refuse(string what) =>
        new($"shell syntax is not supported: {what}; canary-loadtester never runs a shell, it runs hey natively and other commands (when allowed) directly with their arguments");
}
