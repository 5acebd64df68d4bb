namespace LinkJ.Application.Abstractions;

/// <summary>Who is making the current change: the API key's name for HTTP writes, "system" for the service's own jobs.</summary>
public interface ICurrentActor
{
    const string System = "system";

    string Name { get; }
}
