using System.Collections.Immutable;
using Cohort.Core.Schema;

namespace Cohort.Warehouses.Projects;

/// <summary>A column as proposed: its type (null when Cohort cannot map it), a PII guess and enum values.</summary>
public sealed record ProposedColumn(string Name, string RawType, DataType? Type, bool Pii, ImmutableArray<string> EnumValues);

/// <summary>A model as proposed, with the reason for its kind in words (written as a comment).</summary>
public sealed record ProposedModel(
    string Name,
    string Table,
    ModelKind Kind,
    ImmutableArray<ProposedColumn> Columns,
    string? PrimaryKey,
    string? Timestamp,
    string? EventNameColumn,
    ImmutableArray<string> EventNames,
    string? EventName,
    long Rows,
    string Reason);

/// <summary>A relationship as proposed; <see cref="Through"/> is set for many-to-many.</summary>
public sealed record ProposedRelationship(
    string From,
    string FromKey,
    string To,
    string ToKey,
    Cardinality Cardinality,
    string? Name,
    ThroughDefinition? Through,
    string Reason);

/// <summary>What <see cref="SchemaProposer"/> guessed about a warehouse; <see cref="Notes"/> says what it could not decide.</summary>
public sealed record SchemaProposal(
    ImmutableArray<ProposedModel> Models,
    ImmutableArray<ProposedRelationship> Relationships,
    ImmutableArray<string> Notes)
{
    public ProposedModel? Parent => Models.FirstOrDefault(m => m.Kind == ModelKind.Parent);
}
