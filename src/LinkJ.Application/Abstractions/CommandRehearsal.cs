namespace LinkJ.Application.Abstractions;

/// <summary>
/// Whether the current command is a rehearsal (ADR 0056): <see cref="Common.Behaviors.UnitOfWorkBehavior{TMessage, TResponse}"/>
/// runs it in one transaction up to its commit, with every statement, trigger and queued statement a real one sends, and
/// rolls it back there instead of committing: nothing of it stays, nothing is numbered for the feed, no key is kept.
/// Set by the host, and only for the start-up warm-up's own requests, which no client can send; never from anything a
/// request carries. Scoped: one per request.
/// </summary>
public sealed class CommandRehearsal
{
    public bool RollsBack { get; set; }
}
