using LinkJ.Application.Agreements;
using LinkJ.Application.Common.Dtos;
using LinkJ.Domain.CooperationScopes;

namespace LinkJ.Application.CooperationScopes;

public static class CooperationScopeMapper
{
    public static CooperationScopeDto ToDto(this CooperationScope scope) => new(scope.Code.Value, scope.Label.ToDto());

    /// <summary>A scope code with no entry in the vocabulary shows its code as its label rather than disappearing.</summary>
    public static CooperationScopeDto Unlabelled(string code) => new(code, new BilingualTextDto(code, code));
}
