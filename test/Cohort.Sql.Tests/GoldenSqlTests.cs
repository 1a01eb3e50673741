using System.Runtime.CompilerServices;
using System.Text;
using Cohort.Core.Documents;
using Cohort.Core.Projects;
using Cohort.Core.Time;
using Cohort.Sql.Compile;

namespace Cohort.Sql.Tests;

/// <summary>
/// The SQL each golden audience compiles to, per dialect, against the shop example's schema at a fixed instant.
/// Review the diff of Golden/*.sql when the compiler changes; run with COHORT_UPDATE_GOLDEN=1 to rewrite them.
/// </summary>
public sealed class GoldenSqlTests
{
    private static readonly EvaluationContext At = new(new DateTime(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc),
        TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(GoldenDirectory(), "*.audience.yaml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file)[..^".audience.yaml".Length];
            data.Add(name, "duckdb");
            data.Add(name, "postgres");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compiled_sql_matches_the_golden_file(string name, string dialect)
    {
        var project = ProjectLoader.Load(ShopDirectory());
        Assert.False(project.HasErrors, string.Join("\n", project.Diagnostics));
        var file = Path.Combine(GoldenDirectory(), name + ".audience.yaml");
        var loaded = ProjectLoader.LoadAudienceText(project, File.ReadAllText(file), DocumentFormat.Yaml, file);
        Assert.True(loaded.Audience is not null && !loaded.Diagnostics.Any(d => d.IsError), string.Join("\n", loaded.Diagnostics));
        var audience = loaded.Audience!;
        var compiler = new AudienceCompiler(project.Schema, [.. project.Audiences, audience]);
        var sql = compiler.Members(audience, At, dialect == "duckdb" ? SqlDialectName.DuckDb : SqlDialectName.Postgres,
            new MemberColumns(SplitGroup: audience.Splits is not null));

        var text = new StringBuilder(sql.Text).Append('\n');
        foreach (var p in sql.Parameters) text.Append("-- ").Append(p).Append('\n');
        var golden = Path.Combine(GoldenDirectory(), $"{name}.{dialect}.sql");
        if (Environment.GetEnvironmentVariable("COHORT_UPDATE_GOLDEN") == "1") File.WriteAllText(golden, text.ToString());
        Assert.True(File.Exists(golden), $"Missing {golden}; run with COHORT_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(golden), text.ToString());
    }

    private static string GoldenDirectory([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Golden");

    private static string ShopDirectory([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "examples", "shop"));
}
