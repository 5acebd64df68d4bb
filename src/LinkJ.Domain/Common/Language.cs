namespace LinkJ.Domain.Common;

/// <summary>The languages LINK-J publishes in. Japanese is the default.</summary>
public enum Language
{
    Japanese,
    English,
}
