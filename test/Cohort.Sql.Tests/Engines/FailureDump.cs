using System.Globalization;
using System.Text;
using Cohort.Sql.Compile;
using Cohort.Testing.Differential;
using Cohort.Testing.Reference;

namespace Cohort.Sql.Tests.Engines;

/// <summary>
/// On a differential failure, writes what is needed to replay it by hand into $COHORT_DIFF_DUMP (when set): the
/// previous case's data and queries (the database's history can matter) and the failing case's.
/// </summary>
internal static class FailureDump
{
    public static void Write(SqlDialectName dialect, DifferentialCase? previous, DifferentialCase failing, Exception error, string fresh)
    {
        var root = Environment.GetEnvironmentVariable("COHORT_DIFF_DUMP");
        if (string.IsNullOrEmpty(root)) return;
        var dir = Path.Combine(root, $"{dialect}-{DateTime.UtcNow:yyyyMMddHHmmssfff}");
        Directory.CreateDirectory(dir);
        if (previous is not null) File.WriteAllText(Path.Combine(dir, "1-previous.sql"), Script(dialect, previous));
        File.WriteAllText(Path.Combine(dir, "2-failing.sql"), Script(dialect, failing));
        File.WriteAllText(Path.Combine(dir, "error.txt"), $"{error}\n\nOn a fresh database: {fresh}\n\n{failing}");
    }

    private static string Script(SqlDialectName dialect, DifferentialCase c)
    {
        var text = new StringBuilder();
        foreach (var table in TestSchema.Tables)
        {
            text.Append("DELETE FROM ").Append(table.Name).Append(";\n");
            foreach (var row in c.Data.Rows(table.Name))
            {
                text.Append("INSERT INTO ").Append(table.Name).Append(" (").AppendJoin(", ", table.Columns.Select(x => x.Name)).Append(") VALUES (")
                    .AppendJoin(", ", table.Columns.Select(x => Literal(ReferenceDataset.Get(row, x.Name)))).Append(");\n");
            }
        }
        var compiler = new AudienceCompiler(TestSchema.Schema, c.AllAudiences);
        foreach (var sql in new[] { compiler.Members(c.Target, c.Context, dialect), compiler.BlockCounts(c.Target, c.Context, dialect) })
        {
            text.Append("\n-- parameters: ").AppendJoin("; ", sql.Parameters).Append('\n').Append(sql.Text).Append(";\n");
        }
        return text.ToString();
    }

    private static string Literal(object? v) => v switch
    {
        null => "NULL",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool b => b ? "TRUE" : "FALSE",
        DateOnly d => $"DATE '{d:yyyy-MM-dd}'",
        DateTime t => $"TIMESTAMP '{t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Literal)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString()!,
    };
}
