using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Cohort.Sql.Ast;

namespace Cohort.Sql.Compile;

/// <summary>
/// State shared while compiling one statement: parameters, the common table expressions (grouped passes and
/// sequence stages) and unique names for them.
/// </summary>
internal sealed class CompileContext
{
    private readonly HashSet<string> _reserved;
    private readonly Dictionary<string, int> _counters = [];

    public CompileContext(SchemaIndex index, IReadOnlyDictionary<string, AudienceDefinition> audiences, EvaluationContext evaluation)
    {
        Index = index;
        Audiences = audiences;
        Evaluation = evaluation;
        // CTE names must never shadow a warehouse table a model reads.
        _reserved = new HashSet<string>(
            index.Schema.Models.Select(m => m.Source is ModelSource.Table t ? t.Name : m.Name),
            StringComparer.OrdinalIgnoreCase);
    }

    public SchemaIndex Index { get; }

    public SchemaDefinition Schema => Index.Schema;

    public IReadOnlyDictionary<string, AudienceDefinition> Audiences { get; }

    public EvaluationContext Evaluation { get; }

    public ParameterBag Parameters { get; } = new();

    public List<CommonTableExpr> Ctes { get; } = [];

    /// <summary>A fresh name such as <c>orders_pass1</c>, unique in the statement and unlike any table.</summary>
    public string NewName(string stem)
    {
        var clean = new string(stem.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()).Trim('_');
        if (clean.Length == 0 || char.IsAsciiDigit(clean[0])) clean = "t_" + clean;
        if (clean.Length > 40) clean = clean[..40];
        while (true)
        {
            var n = _counters[clean] = _counters.GetValueOrDefault(clean) + 1;
            var name = $"{clean}_{n}";
            if (_reserved.Add(name)) return name;
        }
    }

    /// <summary>Short row aliases (p, e1, o2 ...) for tables inside one SELECT.</summary>
    public string NewAlias(string stem)
    {
        var letter = char.IsAsciiLetter(stem.FirstOrDefault()) ? char.ToLowerInvariant(stem[0]).ToString() : "t";
        var n = _counters["alias:" + letter] = _counters.GetValueOrDefault("alias:" + letter) + 1;
        return letter + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public FromItem Source(ModelDefinition model, string alias) => model.Source switch
    {
        ModelSource.Table t => new TableSource(t.Schema, t.Name, alias),
        ModelSource.Query q => new ModelQuerySource(q.Sql, alias),
        _ => throw new InvalidOperationException(),
    };

    public DataType ColumnType(ModelDefinition model, string column) =>
        model.FindColumn(column)?.Type
        ?? throw new InvalidOperationException($"Column '{model.Name}.{column}' is not in the schema; validate the audience first.");
}
