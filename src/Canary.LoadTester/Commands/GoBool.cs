namespace Canary.LoadTester.Commands;

/// <summary>Go's <c>strconv.ParseBool</c>, which reads Flagger's string metadata such as <c>logCmdOutput: "true"</c>.</summary>
public static class GoBool
{
    /// <summary>1, t, T, TRUE, true, True are true; 0, f, F, FALSE, false, False are false; anything else fails.</summary>
    public static bool TryParse(string? text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>The value, or false when it is missing or not a Go boolean (as Flagger ignores the parse error).</summary>
    public static bool IsTrue(string? text) => TryParse(text, out var value) && value;
}
