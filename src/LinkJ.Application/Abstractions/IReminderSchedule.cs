namespace LinkJ.Application.Abstractions;

/// <summary>The days before an agreement's last day in force on which it is reminded of (ADR 0036): 90, 30 and 7 by default.</summary>
public interface IReminderSchedule
{
    IReadOnlyList<int> Days { get; }
}
