namespace LinkJ.Domain.Common;

/// <summary>What a stored text may not contain besides control characters: Unicode noncharacters.</summary>
public static class UnicodeRules
{
    /// <summary>
    /// U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, … U+10FFFF): reserved for a
    /// program's internal use, never to be interchanged, and U+FFFE and U+FFFF are not even allowed in XML.
    /// </summary>
    public static bool IsNoncharacter(int codePoint) => codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    /// <summary>Whether the text has a noncharacter, written as one UTF-16 unit or as a surrogate pair.</summary>
    public static bool HasNoncharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var codePoint = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? char.ConvertToUtf32(text[i], text[++i])
                : text[i];
            if (IsNoncharacter(codePoint))
            {
                return true;
            }
        }

        return false;
    }
}
