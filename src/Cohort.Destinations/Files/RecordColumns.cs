using System.Collections.Immutable;
using Cohort.Core.Schema;
using Cohort.Destinations.Abstractions;
using Cohort.Destinations.Catalog;
using Cohort.Destinations.Values;

namespace Cohort.Destinations.Files;

/// <summary>
/// The flat layout of CSV and Parquet files: <c>operation</c>, <c>key</c>, then each mapped field in mapping order, then
/// each identifier as <c>identifier_&lt;type&gt;</c>.
/// </summary>
internal sealed record RecordColumns(ImmutableArray<OutputField> Fields, ImmutableArray<IdentifierType> Identifiers)
{
    public const string Operation = "operation";
    public const string Key = "key";

    public static RecordColumns For(DestinationContext context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { Operation, Key };
        foreach (var field in context.Fields)
        {
            if (!names.Add(field.Name))
                throw new DestinationException(
                    $"Destination '{context.DestinationName}': the field '{field.Name}' has the name of a column every file holds ({Operation}, {Key}) or is mapped twice; rename it in the sync's fields.",
                    DestinationErrorClass.AuthOrConfig);
        }
        return new RecordColumns(context.Fields, context.Identifiers);
    }

    public IEnumerable<string> Names =>
        [Operation, Key, .. Fields.Select(f => f.Name), .. Identifiers.Select(IdentifierColumn)];

    public static string IdentifierColumn(IdentifierType type) => "identifier_" + IdentifierTypes.NameOf(type);

    public static DataType? TypeOf(OutputField field) => field.Type;
}
