using LinkJ.Domain.Common;

namespace LinkJ.Domain.Partners;

/// <summary>A name the partner was known by before, e.g. 公益財団法人先端医療振興財団 for the Kobe foundation.</summary>
/// <param name="Name">The former name.</param>
/// <param name="Until">When the name stopped being used, where known.</param>
public sealed record FormerName(BilingualText Name, PartialDate? Until = null);
