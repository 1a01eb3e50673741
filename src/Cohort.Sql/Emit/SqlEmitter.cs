using System.Globalization;
using System.Text;
using Cohort.Sql.Ast;
using Cohort.Sql.Dialects;

namespace Cohort.Sql.Emit;

/// <summary>
/// Prints a SQL tree as text for people to read: one clause per line, subqueries indented, top-level AND
/// conditions one per line. Dialect differences are delegated to <see cref="SqlDialect"/>.
/// </summary>
public sealed class SqlEmitter(SqlDialect dialect)
{
    private const int IndentWidth = 2;
    private readonly StringBuilder _text = new();
    private int _indent;

    public SqlDialect Dialect { get; } = dialect;

    public static string Print(SelectStatement statement, SqlDialect dialect)
    {
        var emitter = new SqlEmitter(dialect);
        emitter.EmitStatement(statement);
        return emitter._text.ToString().TrimEnd() + "\n";
    }

    /// <summary>One expression as text; also a structural key for telling equal expressions apart.</summary>
    public static string PrintExpression(SqlExpr expr, SqlDialect dialect)
    {
        var emitter = new SqlEmitter(dialect);
        emitter.Emit(expr);
        return emitter._text.ToString();
    }

    public void Write(string text) => _text.Append(text);

    private void NewLine() => _text.Append('\n').Append(' ', _indent * IndentWidth);

    public void EmitStatement(SelectStatement s)
    {
        if (s.Comment is { } comment)
        {
            // Control characters (any line break) could end a comment early; they become spaces.
            var safe = new string(comment.Select(c => char.IsControl(c) && c != '\n' ? ' ' : c).ToArray());
            foreach (var line in safe.Split('\n'))
            {
                Write("-- " + line);
                NewLine();
            }
        }
        if (!s.With.IsEmpty)
        {
            Write("WITH");
            for (var i = 0; i < s.With.Length; i++)
            {
                _indent++;
                NewLine();
                var materialized = s.With[i] switch
                {
                    { MaterializedOnDuckDbOnly: true } => Dialect.Name == SqlDialectName.DuckDb ? " AS MATERIALIZED (" : " AS NOT MATERIALIZED (",
                    { Materialized: true } => " AS MATERIALIZED (",
                    _ => " AS (",
                };
                Write(Id(s.With[i].Name) + materialized);
                _indent++;
                NewLine();
                EmitStatement(s.With[i].Query);
                _indent--;
                NewLine();
                Write(i < s.With.Length - 1 ? ")," : ")");
                _indent--;
            }
            NewLine();
        }
        Write(s.Distinct ? "SELECT DISTINCT" : "SELECT");
        _indent++;
        for (var i = 0; i < s.Columns.Length; i++)
        {
            NewLine();
            Emit(s.Columns[i].Expr);
            if (s.Columns[i].Alias is { } alias) Write(" AS " + Id(alias));
            if (i < s.Columns.Length - 1) Write(",");
        }
        _indent--;
        if (s.From is not null)
        {
            NewLine();
            Write("FROM ");
            EmitFromItem(s.From);
        }
        foreach (var join in s.Joins)
        {
            NewLine();
            Write(join.Kind == JoinKind.Inner ? "JOIN " : "LEFT JOIN ");
            EmitFromItem(join.Item);
            Write(" ON ");
            Emit(join.On);
        }
        if (s.Where is not null)
        {
            NewLine();
            Write("WHERE ");
            EmitConjunction(s.Where);
        }
        if (!s.GroupBy.IsEmpty)
        {
            NewLine();
            Write("GROUP BY ");
            EmitList(s.GroupBy);
        }
        if (!s.OrderBy.IsEmpty)
        {
            NewLine();
            Write("ORDER BY ");
            EmitOrderList(s.OrderBy);
        }
        if (s.Limit is { } limit)
        {
            NewLine();
            Write("LIMIT " + limit.ToString(CultureInfo.InvariantCulture));
        }
    }

    private void EmitConjunction(SqlExpr where)
    {
        var terms = new List<SqlExpr>();
        Flatten(where, BinaryOp.And, terms);
        for (var i = 0; i < terms.Count; i++)
        {
            if (i > 0)
            {
                _indent++;
                NewLine();
                Write("AND ");
                _indent--;
            }
            EmitOperand(terms[i], Precedence(BinaryOp.And));
        }
    }

    private void EmitFromItem(FromItem item)
    {
        switch (item)
        {
            case TableSource t:
                Write(t.Schema is null ? Id(t.Name) : $"{Id(t.Schema)}.{Id(t.Name)}");
                break;
            case CteSource c:
                Write(Id(c.Name));
                break;
            case ModelQuerySource m:
                Write("(");
                _indent++;
                foreach (var line in m.Sql.Trim().TrimEnd(';').Split('\n'))
                {
                    NewLine();
                    Write(line.TrimEnd());
                }
                _indent--;
                NewLine();
                Write(")");
                break;
            case SubquerySource q:
                Write("(");
                _indent++;
                NewLine();
                EmitStatement(q.Query);
                _indent--;
                NewLine();
                Write(")");
                break;
            case UnionAllSource u:
                Write("(");
                _indent++;
                for (var i = 0; i < u.Parts.Length; i++)
                {
                    NewLine();
                    if (i > 0)
                    {
                        Write("UNION ALL");
                        NewLine();
                    }
                    EmitStatement(u.Parts[i]);
                }
                _indent--;
                NewLine();
                Write(")");
                break;
            default:
                throw new InvalidOperationException($"Unknown FROM item {item.GetType().Name}.");
        }
        if (item is not CteSource cte || cte.Name != cte.Alias) Write(" AS " + Id(item.Alias));
    }

    public void Emit(SqlExpr expr)
    {
        switch (expr)
        {
            case ColumnExpr c:
                Write(c.Qualifier is null ? Id(c.Name) : $"{Id(c.Qualifier)}.{Id(c.Name)}");
                break;
            case StarExpr s:
                Write(s.Qualifier is null ? "*" : Id(s.Qualifier) + ".*");
                break;
            case ParamExpr p:
                Write(Dialect.Placeholder(p.Ordinal));
                break;
            case DecimalParamExpr d:
                Dialect.EmitDecimalParameter(d, this);
                break;
            case IntExpr i:
                Write(i.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case BoolExpr b:
                Write(b.Value ? "TRUE" : "FALSE");
                break;
            case NullExpr:
                Write("NULL");
                break;
            case BinaryExpr b:
                EmitBinary(b);
                break;
            case NotExpr n:
                Write("NOT ");
                EmitOperand(n.Operand, NotPrecedence);
                break;
            case IsNullExpr n:
                EmitOperand(n.Operand, ComparisonPrecedence + 1);
                Write(n.Negated ? " IS NOT NULL" : " IS NULL");
                break;
            case InExpr i:
                EmitOperand(i.Operand, ComparisonPrecedence + 1);
                Write(" IN (");
                EmitList(i.Items);
                Write(")");
                break;
            case FuncExpr f:
                Dialect.EmitFunction(f, this);
                break;
            case AggregateExpr a:
                Dialect.EmitAggregate(a, this);
                break;
            case WindowExpr w:
                EmitWindow(w);
                break;
            case CaseExpr c:
                Write("CASE");
                foreach (var when in c.Whens)
                {
                    Write(" WHEN ");
                    Emit(when.When);
                    Write(" THEN ");
                    Emit(when.Then);
                }
                if (c.Else is not null)
                {
                    Write(" ELSE ");
                    Emit(c.Else);
                }
                Write(" END");
                break;
            case CastExpr c:
                Write("CAST(");
                Emit(c.Operand);
                Write(" AS " + Dialect.TypeName(c.Type) + ")");
                break;
            default:
                throw new InvalidOperationException($"Unknown expression {expr.GetType().Name}.");
        }
    }

    public void EmitList(IEnumerable<SqlExpr> items)
    {
        var first = true;
        foreach (var item in items)
        {
            if (!first) Write(", ");
            Emit(item);
            first = false;
        }
    }

    public void EmitOrderList(IEnumerable<SqlOrder> orders)
    {
        var first = true;
        foreach (var order in orders)
        {
            if (!first) Write(", ");
            Emit(order.Expr);
            Write(order.Descending ? " DESC" : " ASC");
            Write(order.NullsLast ? " NULLS LAST" : " NULLS FIRST");
            first = false;
        }
    }

    public void EmitFilter(SqlExpr? filter)
    {
        if (filter is null) return;
        Write(" FILTER (WHERE ");
        Emit(filter);
        Write(")");
    }

    public void Call(string name, IEnumerable<SqlExpr> args)
    {
        Write(name + "(");
        EmitList(args);
        Write(")");
    }

    /// <summary>Functions spelt the same way by every dialect we support.</summary>
    public void EmitStandardFunction(FuncExpr f)
    {
        switch (f.Function)
        {
            case SqlFunction.Coalesce:
                Call("COALESCE", f.Args);
                break;
            case SqlFunction.StrPos:
                Call("strpos", f.Args);
                break;
            case SqlFunction.StartsWith:
                Call("starts_with", f.Args);
                break;
            case SqlFunction.EndsWith:
                Call("ends_with", f.Args);
                break;
            case SqlFunction.Length:
                Call("length", f.Args);
                break;
            case SqlFunction.Right:
                Call("right", f.Args);
                break;
            case SqlFunction.AddInterval:
                Write("(");
                Emit(f.Args[0]);
                Write(" + ");
                Emit(f.Args[1]);
                Write(")");
                break;
            default:
                throw new InvalidOperationException($"{Dialect.Name} cannot print {f.Function}; a lowering pass should have replaced it.");
        }
    }

    public void EmitStandardAggregate(AggregateExpr a)
    {
        switch (a.Kind)
        {
            case AggregateKind.CountStar:
                Write("count(*)");
                break;
            case AggregateKind.CountDistinct:
                Write("count(DISTINCT ");
                Emit(a.Argument!);
                Write(")");
                break;
            case AggregateKind.Count or AggregateKind.Sum or AggregateKind.Min or AggregateKind.Max or AggregateKind.BoolOr:
                Call(a.Kind switch
                {
                    AggregateKind.Count => "count",
                    AggregateKind.Sum => "sum",
                    AggregateKind.Min => "min",
                    AggregateKind.Max => "max",
                    _ => "bool_or",
                }, [a.Argument!]);
                break;
            default:
                throw new InvalidOperationException($"{Dialect.Name} cannot print aggregate {a.Kind}.");
        }
        EmitFilter(a.Filter);
    }

    private void EmitWindow(WindowExpr w)
    {
        switch (w.Kind)
        {
            case WindowKind.RowNumber:
                Write("row_number()");
                break;
            default:
                Call(w.Kind == WindowKind.Max ? "max" : "min", [w.Argument!]);
                break;
        }
        Write(" OVER (");
        var space = "";
        if (!w.PartitionBy.IsEmpty)
        {
            Write("PARTITION BY ");
            EmitList(w.PartitionBy);
            space = " ";
        }
        if (!w.OrderBy.IsEmpty)
        {
            Write(space + "ORDER BY ");
            EmitOrderList(w.OrderBy);
        }
        if (w.FrameStart is not null && w.FrameEnd is not null)
        {
            Write(" RANGE BETWEEN ");
            EmitBound(w.FrameStart);
            Write(" AND ");
            EmitBound(w.FrameEnd);
        }
        Write(")");
    }

    private void EmitBound(FrameBound bound)
    {
        switch (bound.Kind)
        {
            case FrameBoundKind.UnboundedPreceding:
                Write("UNBOUNDED PRECEDING");
                break;
            case FrameBoundKind.UnboundedFollowing:
                Write("UNBOUNDED FOLLOWING");
                break;
            case FrameBoundKind.CurrentRow:
                Write("CURRENT ROW");
                break;
            default:
                Emit(bound.Offset!);
                Write(bound.Kind == FrameBoundKind.Preceding ? " PRECEDING" : " FOLLOWING");
                break;
        }
    }

    private const int NotPrecedence = 3;
    private const int ComparisonPrecedence = 4;

    private static int Precedence(BinaryOp op) => op switch
    {
        BinaryOp.Or => 1,
        BinaryOp.And => 2,
        BinaryOp.Equal or BinaryOp.NotEqual or BinaryOp.Less or BinaryOp.LessOrEqual
            or BinaryOp.Greater or BinaryOp.GreaterOrEqual => ComparisonPrecedence,
        BinaryOp.Concat => 5,
        BinaryOp.Add or BinaryOp.Subtract => 6,
        _ => 7,
    };

    private static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.And => "AND",
        BinaryOp.Or => "OR",
        BinaryOp.Equal => "=",
        BinaryOp.NotEqual => "<>",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Modulo => "%",
        BinaryOp.Concat => "||",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private void EmitBinary(BinaryExpr b)
    {
        var precedence = Precedence(b.Op);
        if (b.Op is BinaryOp.And or BinaryOp.Or)
        {
            var terms = new List<SqlExpr>();
            Flatten(b, b.Op, terms);
            for (var i = 0; i < terms.Count; i++)
            {
                if (i > 0) Write($" {Symbol(b.Op)} ");
                EmitOperand(terms[i], precedence);
            }
            return;
        }
        EmitOperand(b.Left, precedence);
        Write($" {Symbol(b.Op)} ");
        // Right operands of equal precedence are parenthesised: a - (b - c), a < (b = c).
        EmitOperand(b.Right, precedence + 1);
    }

    private void EmitOperand(SqlExpr operand, int parentPrecedence)
    {
        var own = operand switch
        {
            BinaryExpr b => Precedence(b.Op),
            NotExpr => NotPrecedence,
            IsNullExpr or InExpr => ComparisonPrecedence,
            _ => int.MaxValue,
        };
        if (own < parentPrecedence)
        {
            Write("(");
            Emit(operand);
            Write(")");
        }
        else
        {
            Emit(operand);
        }
    }

    private static void Flatten(SqlExpr expr, BinaryOp op, List<SqlExpr> terms)
    {
        if (expr is BinaryExpr b && b.Op == op)
        {
            Flatten(b.Left, op, terms);
            Flatten(b.Right, op, terms);
        }
        else
        {
            terms.Add(expr);
        }
    }

    private string Id(string name) => Dialect.QuoteIdentifier(name);
}
