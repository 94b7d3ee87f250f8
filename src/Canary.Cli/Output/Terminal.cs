using Spectre.Console;

namespace Canary.Cli.Output;

/// <summary>The console for people: colours and live redraws only when stdout is a terminal (and NO_COLOR is unset).</summary>
public static class Terminal
{
    /// <summary>A Spectre console on <paramref name="writer"/>; plain text unless it is an interactive terminal.</summary>
    public static IAnsiConsole For(TextWriter writer, bool interactive)
    {
        var colours = interactive && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = colours ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colours ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
    }

    /// <summary>Width used when stdout is not a terminal: wide enough that logs keep one line per row.</summary>
    public const int LogWidth = 4096;

    /// <summary>Whether this process's stdout is a terminal.</summary>
    public static bool StdoutIsTerminal => !Console.IsOutputRedirected;
}
