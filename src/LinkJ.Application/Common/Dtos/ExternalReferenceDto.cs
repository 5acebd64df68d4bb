namespace LinkJ.Application.Common.Dtos;

/// <summary>A client system's own id for a record, set when that client created it by upsert.</summary>
/// <param name="Source">The client system, e.g. crm.</param>
/// <param name="Id">The record's id there.</param>
public sealed record ExternalReferenceDto(string Source, string Id);
