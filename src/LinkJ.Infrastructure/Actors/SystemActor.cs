using LinkJ.Application.Abstractions;

namespace LinkJ.Infrastructure.Actors;

/// <summary>The actor of changes the service makes itself (seeding, expiry).</summary>
public sealed class SystemActor : ICurrentActor
{
    public string Name => ICurrentActor.System;
}
