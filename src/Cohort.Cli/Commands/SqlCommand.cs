using System.ComponentModel;
using Cohort.Cli.Infrastructure;
using Cohort.Sql;
using Cohort.Sql.Compile;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cohort.Cli.Commands;

/// <summary><c>cohort sql</c>: prints the SQL an audience compiles to, for people to read and review.</summary>
public sealed class SqlCommand(IAnsiConsole console, TimeProvider clock) : Command<SqlCommand.Settings>
{
    public sealed class Settings : EvaluationSettings
    {
        [CommandArgument(0, "<AUDIENCE>")]
        [Description("An audience name from the project, or a .yaml/.json audience file.")]
        public string Audience { get; init; } = "";

        [CommandOption("-d|--dialect <DIALECT>")]
        [Description("duckdb or postgres. Default: the project's warehouse.")]
        public string? Dialect { get; init; }

        [CommandOption("-q|--query <SHAPE>")]
        [Description("members (default), count or blocks (the count after each top-level block).")]
        [DefaultValue("members")]
        public string Query { get; init; } = "members";

        public override ValidationResult Validate()
        {
            if (Dialect is not null && !Dialects.ContainsKey(Dialect))
                return ValidationResult.Error($"--dialect must be one of: {string.Join(", ", Dialects.Keys)}.");
            if (Query is not ("members" or "count" or "blocks"))
                return ValidationResult.Error("--query must be one of: members, count, blocks.");
            return ValidationResult.Success();
        }
    }

    public static readonly IReadOnlyDictionary<string, SqlDialectName> Dialects = new Dictionary<string, SqlDialectName>(StringComparer.OrdinalIgnoreCase)
    {
        ["duckdb"] = SqlDialectName.DuckDb,
        ["postgres"] = SqlDialectName.Postgres,
    };

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var session = ProjectSession.Load(settings, console);
        var audience = session.Audience(settings.Audience, settings, console);
        var evaluation = session.Evaluation(settings, clock);
        var dialect = settings.Dialect is { } d ? Dialects[d] : session.Project.Project.Warehouse.Dialect();
        var compiler = new AudienceCompiler(session.Project.Schema, session.AudiencesWith(audience));
        var sql = settings.Query switch
        {
            "count" => compiler.Count(audience, evaluation, dialect),
            "blocks" => compiler.BlockCounts(audience, evaluation, dialect),
            _ => compiler.Members(audience, evaluation, dialect),
        };
        if (settings.Json)
        {
            JsonOutput.Write(console, new
            {
                audience = audience.Name,
                dialect = dialect.ToString().ToLowerInvariant(),
                asOf = evaluation.AsOfUtc,
                timeZone = evaluation.TimeZone.Id,
                sql = sql.Text,
                parameters = sql.Parameters.Select(p => new { ordinal = p.Ordinal, type = p.Type.ToString().ToLowerInvariant(), value = ParameterText.Format(p) }),
            });
            return ExitCodes.Success;
        }
        var writer = console.Profile.Out.Writer;
        writer.Write(sql.Text);
        if (sql.Parameters.Length > 0)
        {
            writer.WriteLine();
            writer.WriteLine($"-- Parameters (as of {ParameterText.Instant(evaluation.AsOfUtc)}, time zone {evaluation.TimeZone.Id}):");
            foreach (var p in sql.Parameters)
                writer.WriteLine($"--   ${p.Ordinal} = {ParameterText.Format(p)}");
        }
        return ExitCodes.Success;
    }
}
