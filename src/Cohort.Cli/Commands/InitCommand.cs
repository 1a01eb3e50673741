using System.ComponentModel;
using System.Globalization;
using Cohort.Cli.Infrastructure;
using Cohort.Core.Projects;
using Cohort.Core.Schema;
using Cohort.Warehouses;
using Cohort.Warehouses.Projects;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cohort.Cli.Commands;

/// <summary>
/// <c>cohort init</c>: introspects an existing DuckDB file or PostgreSQL database and writes a proposed project
/// (cohort.yaml, a commented schema.yaml and an example audience) for people to edit. Never overwrites a file
/// without <c>--force</c>.
/// </summary>
public sealed class InitCommand(IAnsiConsole console) : AsyncCommand<InitCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--duckdb <PATH>")]
        [Description("An existing DuckDB database file to describe.")]
        public string? DuckDb { get; init; }

        [CommandOption("--postgres-env <VAR>")]
        [Description("The environment variable holding a PostgreSQL connection string.")]
        public string? PostgresEnv { get; init; }

        [CommandOption("--schema <SCHEMA>")]
        [Description("The warehouse schema to describe. Default: main (DuckDB), public (PostgreSQL).")]
        public string? Schema { get; init; }

        [CommandOption("-d|--dir <DIR>")]
        [Description("Folder to write the project into. Created if missing.")]
        [DefaultValue(".")]
        public string Dir { get; init; } = ".";

        [CommandOption("--name <NAME>")]
        [Description("The project's name. Default: the folder's name.")]
        public string? Name { get; init; }

        [CommandOption("--force")]
        [Description("Overwrite cohort.yaml, schema.yaml and the example audience if they exist.")]
        public bool Force { get; init; }

        [CommandOption("--json")]
        [Description("Write machine-readable JSON to stdout instead of tables.")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if ((DuckDb is null) == (PostgresEnv is null))
                return ValidationResult.Error("Name the warehouse to describe with exactly one of --duckdb <PATH> or --postgres-env <VAR>.");
            if (Schema is { } s && string.IsNullOrWhiteSpace(s)) return ValidationResult.Error("--schema must not be empty.");
            if (Name is { } n && string.IsNullOrWhiteSpace(n)) return ValidationResult.Error("--name must not be empty.");
            return ValidationResult.Success();
        }
    }

    private const string ExampleAudienceFile = "audiences/recently_active.yaml";

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(settings.Dir);
        string[] ours = [ProjectDefinition.FileName, ProjectDefinition.DefaultSchemaFile, ExampleAudienceFile];
        var existing = ours.Where(f => File.Exists(Path.Combine(directory, f))).ToList();
        if (existing.Count > 0 && !settings.Force)
            throw CliError.Usage($"{string.Join(", ", existing)} already exist{(existing.Count == 1 ? "s" : "")} in '{settings.Dir}'; nothing was written.",
                "Pass --force to overwrite, or --dir to write the project somewhere else.");

        WarehouseOptions options;
        string source;
        string warehouseYaml;
        if (settings.DuckDb is { } duckPath)
        {
            var full = Path.GetFullPath(duckPath);
            if (!File.Exists(full))
                throw CliError.Usage($"There is no DuckDB file at '{duckPath}'.", "cohort init describes an existing database; run 'cohort demo' to make one to try it on.");
            options = WarehouseOptions.DuckDb(full);
            source = $"the DuckDB file {Path.GetFileName(full)}";
            warehouseYaml = $"""
                  type: duckdb
                  path: {SchemaProposalWriter.Scalar(Path.GetRelativePath(directory, full).Replace('\\', '/'))}
                """;
        }
        else
        {
            var variable = settings.PostgresEnv!;
            var connection = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(connection))
                throw CliError.Usage($"The environment variable {variable} is not set.", "Set it to a PostgreSQL connection string, e.g. Host=localhost;Username=me;Database=shop.");
            options = WarehouseOptions.Postgres(connection, settings.Schema);
            source = $"the PostgreSQL database in ${variable}" + (settings.Schema is null ? "" : $", schema {settings.Schema}");
            warehouseYaml = $"""
                  type: postgres
                  connection_string_env: {variable}
                """ + (settings.Schema is null ? "" : $"\n  schema: {SchemaProposalWriter.Scalar(settings.Schema)}");
        }

        SchemaProposal proposal;
        await using (var warehouse = await WarehouseFactory.OpenAsync(options, cancellationToken))
            proposal = await new SchemaProposer(warehouse).ProposeAsync(settings.Schema, cancellationToken);

        var name = settings.Name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        var files = new List<(string Path, string Text)>
        {
            (ProjectDefinition.FileName, $"""
                # Written by `cohort init` from {source}; edit freely (docs/schema.md, docs/audiences.md).
                name: {SchemaProposalWriter.Scalar(string.IsNullOrWhiteSpace(name) ? "project" : name)}
                warehouse:
                {warehouseYaml}
                schema: {ProjectDefinition.DefaultSchemaFile}
                audiences: {ProjectDefinition.DefaultAudiencesFolder}
                time_zone: UTC

                """),
            (ProjectDefinition.DefaultSchemaFile, SchemaProposalWriter.SchemaYaml(proposal, source)),
        };
        if (SchemaProposalWriter.ExampleAudience(proposal) is { } example) files.Add((ExampleAudienceFile, example));
        Directory.CreateDirectory(Path.Combine(directory, ProjectDefinition.DefaultAudiencesFolder));
        foreach (var (path, text) in files)
            await File.WriteAllTextAsync(Path.Combine(directory, path), text, cancellationToken);

        // The proposal is checked statically here; 'cohort validate' checks it against the warehouse.
        var diagnostics = ProjectLoader.Load(directory).Diagnostics;
        var errors = diagnostics.Count(d => d.IsError);
        if (settings.Json)
        {
            JsonOutput.Write(console, new
            {
                ok = errors == 0,
                project = directory,
                files = files.Select(f => f.Path),
                parent = proposal.Parent?.Name,
                models = proposal.Models.Select(m => new
                {
                    name = m.Name,
                    kind = m.Kind.ToString().ToLowerInvariant(),
                    table = m.Table,
                    rows = m.Rows,
                    primaryKey = m.PrimaryKey,
                    timestamp = m.Timestamp,
                    eventName = m.EventNameColumn,
                    reason = m.Reason,
                }),
                relationships = proposal.Relationships.Select(r => new
                {
                    from = r.From,
                    fromKey = r.FromKey,
                    to = r.To,
                    toKey = r.ToKey,
                    cardinality = r.Cardinality.ToString(),
                    through = r.Through?.Model,
                }),
                notes = proposal.Notes,
                diagnostics = diagnostics.Select(DiagnosticPrinter.ToJson),
            });
        }
        else
        {
            Render(proposal, directory, files.Select(f => f.Path).ToList());
            DiagnosticPrinter.Print(console, diagnostics);
        }
        return errors == 0 ? ExitCodes.Success : ExitCodes.InvalidDefinition;
    }

    private void Render(SchemaProposal proposal, string directory, IReadOnlyList<string> files)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Proposed models")
            .AddColumn("model").AddColumn("kind").AddColumn(new TableColumn("rows").RightAligned()).AddColumn("why");
        foreach (var m in proposal.Models)
            table.AddRow(Markup.Escape(m.Name), m.Kind.ToString().ToLowerInvariant(), m.Rows.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(m.Reason));
        console.Write(table);
        var manyToMany = proposal.Relationships.Count(r => r.Cardinality == Cardinality.ManyToMany);
        console.MarkupLine($"{proposal.Relationships.Length} relationships{(manyToMany > 0 ? $" ({manyToMany} many-to-many)" : "")}.");
        foreach (var note in proposal.Notes) console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        foreach (var file in files) console.MarkupLine($"[green]✓[/] wrote {Markup.Escape(Path.Combine(directory, file))}");
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), directory);
        console.MarkupLine($"Next: review schema.yaml, then run [bold]cohort validate -p {Markup.Escape(relative)}[/]");
    }
}
