namespace Cohort.Core.Schema;

/// <summary>The type of a trait's value, by its kind and column (docs/semantics.md section 10).</summary>
public static class TraitTypes
{
    /// <summary>The value type, or null when the trait's path or column does not resolve (the validator reports why).</summary>
    public static DataType? ResultType(TraitDefinition trait, SchemaIndex schema)
    {
        if (trait.Kind is TraitKind.Count or TraitKind.DistinctCount) return DataType.Integer;
        var column = Column(trait, schema);
        if (column is null) return null;
        return trait.Kind switch
        {
            TraitKind.Avg => DataType.Number,
            TraitKind.List => column.Type.IsArray ? null : DataType.ArrayOf(column.Type.Element),
            _ => column.Type,
        };
    }

    /// <summary>The column a trait aggregates, on the last model of its path; null when it does not resolve.</summary>
    public static ColumnDefinition? Column(TraitDefinition trait, SchemaIndex schema)
    {
        if (trait.Column is null || schema.Schema.FindModel(trait.Model) is not { } model) return null;
        var path = schema.ResolvePath(model, trait.Path);
        return path.Succeeded ? path.Value!.End.FindColumn(trait.Column) : null;
    }
}
