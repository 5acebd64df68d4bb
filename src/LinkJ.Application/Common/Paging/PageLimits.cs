namespace LinkJ.Application.Common.Paging;

/// <summary>The bounds of every list's <c>limit</c>.</summary>
public static class PageLimits
{
    public const int Default = 20;
    public const int Max = 100;
}
