namespace LinkJ.Application.Common;

/// <summary>The outcome of an upsert: the resource, and whether this call created it.</summary>
public sealed record Upserted<T>(T Value, bool Created);
