namespace LinkJ.Application.Webhooks;

/// <summary>The events a webhook subscription can ask for (ADR 0035).</summary>
public static class WebhookEventTypes
{
    public const string AgreementCreated = "agreement.created";
    public const string AgreementUpdated = "agreement.updated";
    public const string AgreementDeleted = "agreement.deleted";
    public const string AgreementActivated = "agreement.activated";
    public const string AgreementTerminated = "agreement.terminated";
    public const string AgreementRenewed = "agreement.renewed";
    public const string AgreementExpiring = "agreement.expiring";
    public const string PartnerCreated = "partner.created";
    public const string PartnerUpdated = "partner.updated";
    public const string PartnerDeleted = "partner.deleted";

    /// <summary>Sent only by <c>POST /api/v1/webhooks/{id}/ping</c>, whatever the subscription asked for.</summary>
    public const string Ping = "webhook.ping";

    public static readonly IReadOnlyList<string> All =
    [
        AgreementCreated, AgreementUpdated, AgreementDeleted, AgreementActivated, AgreementTerminated, AgreementRenewed,
        AgreementExpiring, PartnerCreated, PartnerUpdated, PartnerDeleted,
    ];

    /// <summary>
    /// The event a change of the feed is sent as: a status change of an agreement is its own event (activated,
    /// terminated); an agreement created by a renewal (it supersedes another) is <c>renewed</c>; everything else is
    /// <c>{resource}.{operation}</c>.
    /// </summary>
    public static string Of(string resourceType, string operation, IReadOnlyCollection<string> changedFields, string? status, bool supersedesAnother)
    {
        if (resourceType == "agreement" && operation == "created" && supersedesAnother)
        {
            return AgreementRenewed;
        }

        if (resourceType == "agreement" && operation == "updated" && changedFields.Contains("status"))
        {
            return status switch
            {
                "active" => AgreementActivated,
                "terminated" => AgreementTerminated,
                _ => AgreementUpdated,
            };
        }

        return $"{resourceType}.{operation}";
    }
}
