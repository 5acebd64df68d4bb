using System.Globalization;
using LinkJ.Domain.Common;

namespace LinkJ.Application.Webhooks;

/// <summary>
/// A page of a subscription's delivery log as asked for: <c>before</c> (the previous page's <c>next</c>, a delivery's
/// sequence) and <c>limit</c>, parsed once at the edge by <see cref="Parse"/> (ADR 0054); <see cref="IWebhookAdmin"/>
/// takes them as they are.
/// </summary>
/// <param name="Before">Only deliveries older than this sequence; null for the newest.</param>
/// <param name="Limit">The page size, <see cref="MinLimit"/> to <see cref="MaxLimit"/>.</param>
public sealed record DeliveryLogPage(long? Before, int Limit)
{
    public const int MinLimit = 1, MaxLimit = 200, DefaultLimit = 50;

    public static readonly Error InvalidLimit = new("webhook.limit-invalid", $"limit is {MinLimit} to {MaxLimit}.", ErrorKind.Validation, "limit");

    public static readonly Error InvalidCursor = new("webhook.cursor-invalid", "before must be a page's next value.", ErrorKind.Validation, "before");

    /// <summary>The page for the query parameters as sent; a 400 (<see cref="DomainException"/>) for the first that is wrong, the limit first.</summary>
    public static DeliveryLogPage Parse(string? before, int? limit)
    {
        var size = limit ?? DefaultLimit;
        if (size is < MinLimit or > MaxLimit)
        {
            throw new DomainException(InvalidLimit);
        }

        if (before is null)
        {
            return new(null, size);
        }

        return long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? new(sequence, size)
            : throw new DomainException(InvalidCursor);
    }
}
