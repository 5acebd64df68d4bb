using System.Collections;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using LinkJ.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LinkJ.Infrastructure.Imports;

/// <summary>
/// How a mapped type's rows are written in bulk (ADR 0042): its table and the columns an insert writes, read from EF
/// Core's model, so that they are exactly EF's (a column added to the model is written here too, through its value
/// converter), with each column's value read from an object by EF's own getters, the name of the field it belongs to on
/// the wire (as <see cref="Persistence.AppDbContext"/> names changed fields), and its PostgreSQL type for a binary COPY.
/// </summary>
internal sealed partial class BulkTable
{
    private static readonly ConcurrentDictionary<(IModel Model, Type Type), BulkTable> Tables = new();

    /// <summary>The bookkeeping fields a change record never lists (as <see cref="Persistence.AppDbContext"/>).</summary>
    private static readonly HashSet<string> Bookkeeping = [nameof(AggregateRoot.Version), nameof(AggregateRoot.UpdatedAt), nameof(AggregateRoot.DeletedAt)];

    private BulkTable(string name, IReadOnlyList<BulkColumn> columns)
    {
        Name = name;
        Columns = columns;
        Key = columns.SingleOrDefault(c => c.IsKey);
        ConcurrencyToken = columns.SingleOrDefault(c => c.IsConcurrencyToken);
    }

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>Every column EF writes when it inserts a row (generated ones, such as identities and computed columns, are the database's).</summary>
    public IReadOnlyList<BulkColumn> Columns { get; }

    /// <summary>The primary key's column (none when the database generates it).</summary>
    public BulkColumn? Key { get; }

    /// <summary>The column EF checks an update against (the aggregate's version), if any.</summary>
    public BulkColumn? ConcurrencyToken { get; }

    /// <summary>The columns, comma-separated, for a statement.</summary>
    public string ColumnList(string? alias = null) => string.Join(", ", Columns.Select(c => alias is null ? Quote(c.Name) : alias + "." + Quote(c.Name)));

    public static BulkTable For(DbContext context, Type type) => Tables.GetOrAdd((context.Model, type), key => Build(key.Model, key.Type));

    /// <summary>The values of every column for <paramref name="record"/>, as written to the database (a list is copied).</summary>
    public object?[] Read(object record)
    {
        var values = new object?[Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Columns[i].Read(record);
        }

        return values;
    }

    /// <summary>
    /// The fields an update changed, as the wire names them, sorted (the bookkeeping ones left out): what EF Core lists
    /// as modified properties and complex properties for a tracked record, from the values before and after.
    /// </summary>
    public string[] ChangedFields(object?[] before, object?[] after) =>
    [
        .. Enumerable.Range(0, Columns.Count)
            .Where(i => !Columns[i].IsBookkeeping && !Same(before[i], after[i]))
            .Select(i => Columns[i].Field)
            .Distinct()
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The columns whose values differ, by index.</summary>
    public int[] ChangedColumns(object?[] before, object?[] after) =>
        [.. Enumerable.Range(0, Columns.Count).Where(i => !Same(before[i], after[i]))];

    public static bool Same(object? a, object? b) =>
        a is IStructuralEquatable || b is IStructuralEquatable ? StructuralComparisons.StructuralEqualityComparer.Equals(a, b) : Equals(a, b);

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static BulkTable Build(IModel model, Type type)
    {
        var entityType = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped.");
        var table = entityType.GetTableName() ?? throw new InvalidOperationException($"{type.Name} has no table.");
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var key = entityType.FindPrimaryKey()!.Properties.Single();
        var columns = new List<BulkColumn>();
        foreach (var property in entityType.GetFlattenedProperties())
        {
            if (property.ValueGenerated != ValueGenerated.Never || property.GetComputedColumnSql() is not null)
            {
                continue;
            }

            if (property.IsShadowProperty())
            {
                throw new InvalidOperationException($"{type.Name}.{property.Name} is a shadow property that EF writes: a bulk write cannot read it from the object.");
            }

            var column = property.GetColumnName(store) ?? throw new InvalidOperationException($"{type.Name}.{property.Name} has no column.");
            var getter = property.GetGetter();
            var converter = property.GetTypeMapping().Converter;
            var member = TopLevelMember(property);
            columns.Add(new BulkColumn(
                column,
                DataTypeName(property.GetColumnType(store)),
                WireName(member),
                Bookkeeping.Contains(member),
                property == key,
                property.IsConcurrencyToken,
                record =>
                {
                    var value = getter.GetClrValueUsingContainingEntity(record);
                    if (value is not null && converter is not null)
                    {
                        value = converter.ConvertToProvider(value);
                    }

                    // A list is read as a copy: the record may change it in place after it was read.
                    return value switch
                    {
                        Array array => array.Clone(),
                        IList list when list.GetType() is { IsGenericType: true } listType => ToArray(list, listType.GetGenericArguments()[0]),
                        _ => value,
                    };
                }));
        }

        return new BulkTable(table, columns);
    }

    private static Array ToArray(IList items, Type element)
    {
        var array = Array.CreateInstance(element, items.Count);
        items.CopyTo(array, 0);
        return array;
    }

    /// <summary>The aggregate's own member a property belongs to: itself, or the outermost complex property holding it.</summary>
    private static string TopLevelMember(IProperty property)
    {
        IPropertyBase member = property;
        while (member.DeclaringType is IComplexType complexType)
        {
            member = complexType.ComplexProperty;
        }

        return member.Name;
    }

    private static string WireName(string name)
    {
        var trimmed = name.TrimStart('_');
        return char.ToLowerInvariant(trimmed[0]) + trimmed[1..];
    }

    /// <summary>The column's type without its length (<c>character varying(40)</c> → <c>character varying</c>), as Npgsql names types.</summary>
    private static string DataTypeName(string columnType) => Facets().Replace(columnType, string.Empty);

    [GeneratedRegex(@"\(\d+(,\s*\d+)?\)")]
    private static partial Regex Facets();
}

/// <summary>One column of a <see cref="BulkTable"/>.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="DataType">Its PostgreSQL type, as Npgsql names it.</param>
/// <param name="Field">The wire name of the field it belongs to (a complex property's columns share its name).</param>
/// <param name="IsBookkeeping">Version, updated or deleted time: never listed as a changed field.</param>
/// <param name="IsKey">The primary key.</param>
/// <param name="IsConcurrencyToken">Checked by an update (the version).</param>
/// <param name="Read">Reads the column's value from a record, as written to the database.</param>
internal sealed record BulkColumn(string Name, string DataType, string Field, bool IsBookkeeping, bool IsKey, bool IsConcurrencyToken, Func<object, object?> Read);
