namespace LinkJ.Application.Common;

/// <summary>
/// What a write's If-Match allows (RFC 9110 §13.1.1): one of some versions (a list of tags), or any current version
/// (<c>*</c>). An int converts to the condition "exactly this version".
/// </summary>
public readonly record struct VersionCondition
{
    private readonly int[]? _versions;

    private VersionCondition(int[]? versions, bool any)
    {
        _versions = versions;
        IsAny = any;
    }

    /// <summary><c>If-Match: *</c>: whatever version the resource has now.</summary>
    public static VersionCondition Any { get; } = new(null, any: true);

    public bool IsAny { get; }

    public IReadOnlyList<int> Versions => _versions ?? [];

    public static VersionCondition OneOf(IEnumerable<int> versions) => new([.. versions.Distinct()], any: false);

    public static implicit operator VersionCondition(int version) => new([version], any: false);

    public bool Matches(int version) => IsAny || Versions.Contains(version);

    public bool Equals(VersionCondition other) => IsAny == other.IsAny && Versions.SequenceEqual(other.Versions);

    public override int GetHashCode() => IsAny ? 1 : Versions.Aggregate(17, HashCode.Combine);

    public override string ToString() => IsAny ? "*" : string.Join(", ", Versions.Select(v => "v" + v));
}
