namespace LinkJ.Infrastructure.Webhooks;

/// <summary>The <c>Webhooks</c> section of the configuration (ADR 0035).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Whether this replica sends webhooks (any number of replicas may: they claim subscriptions, never share one).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for work when it has none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How many subscriptions one replica sends to at once (each one delivery at a time, in order).</summary>
    public int MaxConcurrentSubscriptions { get; set; } = 16;

    /// <summary>How long a replica's claim on a subscription lasts without renewal: a replica killed mid-delivery leaves
    /// its claim to expire, and another replica sends the delivery again. Longer than <see cref="Timeout"/>.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A receiver must answer within this (a 2xx within it is success).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The waits before each retry (jittered by ±<see cref="Jitter"/>); the last repeats until <see cref="RetryWindow"/>.
    /// Empty means <see cref="DefaultRetrySchedule"/> (configuration binding appends to an array, so the default is not the
    /// property's initial value).</summary>
    public TimeSpan[] RetrySchedule { get; set; } = [];

    /// <summary>5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h: about 3 days in 11 attempts.</summary>
    public static readonly TimeSpan[] DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10),
    ];

    /// <summary>The fraction a retry's wait varies by at random, so receivers that come back are not hit all at once.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>After failing this long, the subscription is disabled and says why.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long a finished delivery (succeeded or failed) stays in the log, counted from its last attempt: the
    /// maintenance job deletes older ones (<see cref="DeliveryLogRetention"/>). At least <see cref="RetryWindow"/>.</summary>
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many log rows one delete statement of the purge removes at most.</summary>
    public int DeliveryPurgeBatch { get; set; } = 1000;

    /// <summary>The longest Retry-After of a 429 that is honoured as given.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(10);

    /// <summary>How much of a response is read (and the first 1 KB kept): a receiver cannot make the sender read more.</summary>
    public int MaxResponseBytes { get; set; } = 1024;

    /// <summary>How long a rotated-out secret still signs, beside the new one.</summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Lets deliveries go to loopback addresses (tests, benchmarks). Outside Development, private, loopback and
    /// link-local addresses are otherwise refused at send time (SSRF).</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>The days before an agreement's last day in force on which <c>agreement.expiring</c> is sent (ADR 0036).
    /// Empty means <see cref="LinkJ.Domain.Agreements.Expiry.DefaultReminderDays"/> (90, 30, 7): binding appends to an array.</summary>
    public int[] ReminderDays { get; set; } = [];

    /// <summary>How many changes of the feed one round queues for one subscription.</summary>
    public int FeedBatch { get; set; } = 200;
}

/// <summary>The reminder days as configured (<see cref="WebhookOptions.ReminderDays"/>), or the Domain's default.</summary>
public sealed class ReminderSchedule(Microsoft.Extensions.Options.IOptions<WebhookOptions> options) : LinkJ.Application.Abstractions.IReminderSchedule
{
    public IReadOnlyList<int> Days { get; } = options.Value.ReminderDays is { Length: > 0 } configured
        ? [.. configured.Distinct().Order()]
        : LinkJ.Domain.Agreements.Expiry.DefaultReminderDays;
}
