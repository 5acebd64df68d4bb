using LinkJ.Domain.Common;

namespace LinkJ.Domain.Agreements;

/// <summary>A person who signed or attended the signing, e.g. 山口信彦, Vice-Governor of Osaka Prefecture.</summary>
/// <param name="Name">The person's name.</param>
/// <param name="Title">Their title or role at the signing, e.g. 副知事 / Vice-Governor.</param>
/// <param name="Organisation">The organisation they signed for.</param>
public sealed record Signatory(BilingualText Name, BilingualText? Title, BilingualText? Organisation);
