using LinkJ.Domain.Common;

namespace LinkJ.Domain.CooperationScopes;

/// <summary>
/// One item of the vocabulary of cooperation (提携内容), e.g. <c>publication-exchange</c>:
/// 刊行物、資料、情報の交換 / Exchange of publications, materials and information. The vocabulary can grow.
/// </summary>
public sealed class CooperationScope
{
    private CooperationScope(Slug code, BilingualText label, int sortOrder)
    {
        Code = code;
        Label = label;
        SortOrder = sortOrder;
    }

    private CooperationScope()
    {
    }

    public Slug Code { get; private set; } = null!;

    public BilingualText Label { get; private set; } = null!;

    /// <summary>Where the item stands when the vocabulary is listed.</summary>
    public int SortOrder { get; private set; }

    public static CooperationScope Create(Slug code, BilingualText label, int sortOrder) => new(code, label, sortOrder);

    public static readonly Error NotFound =
        new("cooperation-scope.not-found", "No cooperation scope has this code.", ErrorKind.NotFound);
}
