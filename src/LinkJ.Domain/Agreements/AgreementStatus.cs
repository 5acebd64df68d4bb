namespace LinkJ.Domain.Agreements;

/// <summary>Where an agreement is in its life: draft → active → expired | terminated. Terminated is final.</summary>
public enum AgreementStatus
{
    Draft,
    Active,
    Expired,
    Terminated,
}
