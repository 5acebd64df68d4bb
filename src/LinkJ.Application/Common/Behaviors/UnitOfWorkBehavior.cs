using System.Runtime.ExceptionServices;
using LinkJ.Application.Abstractions;
using Mediator;

namespace LinkJ.Application.Common.Behaviors;

/// <summary>
/// The one owner of a command's unit of work (ADR 0032): begins it, claims the request's Idempotency-Key in it (when
/// the request has one), runs the handler, stores the response with the key, and commits; anything thrown rolls it
/// all back, key included. A command whose create lost a race to a concurrent request
/// (<see cref="ConcurrentCreationException"/>) runs once more in a fresh unit of work, where it finds what the other
/// request created. A rehearsal (<see cref="CommandRehearsal"/>, the start-up warm-up's writes, ADR 0056) runs the same
/// way in one transaction and is rolled back where it would commit. Queries pass straight through.
/// </summary>
public sealed class UnitOfWorkBehavior<TMessage, TResponse>(IUnitOfWork unitOfWork, IdempotencyContext idempotency, IIdempotencyKeys keys, CommandRehearsal rehearsal)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IBaseCommand)
        {
            return await next(message, cancellationToken);
        }

        var request = idempotency.Request;
        // A rehearsal keeps one transaction to the end, so that its save does not commit on its own.
        var rollsBack = rehearsal.RollsBack;
        for (var attempt = 1; ; attempt++)
        {
            await unitOfWork.BeginAsync(endsAtSave: !rollsBack && request is null && message is not IWholeTransactionCommand, cancellationToken);
            try
            {
                if (request is not null)
                {
                    switch (await keys.ClaimAsync<TResponse>(request, cancellationToken))
                    {
                        case IdempotencyClaim<TResponse>.Replay replay:
                            idempotency.Replayed = true;
                            return replay.Response;
                        case IdempotencyClaim<TResponse>.InProgress:
                            throw new IdempotencyKeyException(inProgress: true);
                        case IdempotencyClaim<TResponse>.Mismatch:
                            throw new IdempotencyKeyException(inProgress: false);
                    }
                }

                var response = await next(message, cancellationToken);
                if (request is not null)
                {
                    await keys.CompleteAsync(request, response, cancellationToken);
                }

                if (rollsBack)
                {
                    await unitOfWork.RollBackAtCommitAsync(cancellationToken);
                }
                else
                {
                    await unitOfWork.CommitAsync(cancellationToken);
                }

                return response;
            }
            catch (ConcurrentCreationException race) when (attempt > 1)
            {
                // Lost twice: not a race but a real conflict (a slug another record holds); report it.
                ExceptionDispatchInfo.Throw(race.InnerException!);
                throw;
            }
            catch (ConcurrentCreationException)
            {
                // Rolled back below; the next attempt finds what the concurrent request created.
            }
            finally
            {
                await unitOfWork.RollbackAsync();
            }
        }
    }
}

/// <summary>
/// A create that a concurrent request beat to a unique value (an external reference): the unit of work rolls back
/// and runs the command again once, which then finds the other request's record.
/// </summary>
public sealed class ConcurrentCreationException(Exception conflict) : Exception("A concurrent request created the record first.", conflict);
