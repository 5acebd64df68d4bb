namespace LinkJ.Application.Common.Paging;

/// <summary>One page of a list: the items and the opaque cursor of the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
