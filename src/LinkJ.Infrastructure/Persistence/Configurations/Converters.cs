using System.Text.Json;
using LinkJ.Application.Common;
using LinkJ.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LinkJ.Infrastructure.Persistence.Configurations;

/// <summary>How value objects and enums are stored: as their wire strings, so the database reads like the API.</summary>
internal static class Converters
{
    public static PropertyBuilder<TEnum> HasWireConversion<TEnum>(this PropertyBuilder<TEnum> property)
        where TEnum : struct, Enum =>
        property.HasConversion(v => WireEnum.ToWire(v), s => ParseWire<TEnum>(s)).HasMaxLength(40);

    public static ComplexTypePropertyBuilder<TEnum> HasWireConversion<TEnum>(this ComplexTypePropertyBuilder<TEnum> property)
        where TEnum : struct, Enum =>
        property.HasConversion(v => WireEnum.ToWire(v), s => ParseWire<TEnum>(s)).HasMaxLength(40);

    public static PropertyBuilder<Slug> HasSlugConversion(this PropertyBuilder<Slug> property) =>
        property.HasConversion(v => v.Value, s => Slug.Create(s)).HasMaxLength(Slug.MaxLength);

    public static PropertyBuilder<CountryCode> HasCountryConversion(this PropertyBuilder<CountryCode> property) =>
        property.HasConversion(v => v.Value, s => CountryCode.Create(s)).HasMaxLength(2).IsFixedLength();

    /// <summary>Stores a list of value objects as a jsonb document through a plain record that is only the storage shape.</summary>
    public static PropertyBuilder<List<TValue>> HasJsonConversion<TValue, TStored>(
        this PropertyBuilder<List<TValue>> property, Func<TValue, TStored> store, Func<TStored, TValue> load)
    {
        property
            .HasColumnType("jsonb")
            .HasConversion(
                v => JsonSerializer.Serialize(v.Select(store).ToList(), JsonOptions),
                s => (JsonSerializer.Deserialize<List<TStored>>(s, JsonOptions) ?? new List<TStored>()).Select(load).ToList(),
                new ValueComparer<List<TValue>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
                    v => v.ToList()));
        return property;
    }

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    internal sealed record StoredText(string Ja, string? En)
    {
        public static StoredText? From(BilingualText? text) => text is null ? null : new StoredText(text.Ja, text.En);

        public BilingualText ToText() => BilingualText.Create(Ja, En);
    }

    private static TEnum ParseWire<TEnum>(string value)
        where TEnum : struct, Enum =>
        WireEnum.TryParse<TEnum>(value, out var parsed) ? parsed : throw new InvalidOperationException($"Unknown stored value '{value}' for {typeof(TEnum).Name}.");
}
