namespace LinkJ.Domain.Common;

internal static class Guard
{
    /// <summary>Throws <see cref="DomainException"/> with <paramref name="error"/> unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, Error error)
    {
        if (!condition)
        {
            throw new DomainException(error);
        }
    }

    /// <summary>Trims a text and checks its length and that it has no control characters nor noncharacters; empty becomes null.</summary>
    public static string? OptionalText(string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        That(trimmed.Length <= maxLength, CommonErrors.TextTooLong(maxLength));
        That(!HasForbiddenCharacters(trimmed), CommonErrors.TextHasControlCharacters);
        return trimmed;
    }

    private static bool HasForbiddenCharacters(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((char.IsControl(c) && c is not ('\n' or '\t')) || UnicodeRules.IsNoncharacter(c))
            {
                return true;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]) || UnicodeRules.IsNoncharacter(char.ConvertToUtf32(c, text[i + 1])))
                {
                    return true;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
