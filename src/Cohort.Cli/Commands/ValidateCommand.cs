using System.ComponentModel;
using Cohort.Cli.Infrastructure;
using Cohort.Core.Diagnostics;
using Cohort.Destinations.Catalog;
using Cohort.Sync.Definitions;
using Cohort.Warehouses.Projects;
using Cohort.Warehouses.Validation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cohort.Cli.Commands;

/// <summary>
/// <c>cohort validate</c>: every definition in the project, statically, then the schema against the live
/// warehouse (tables, columns, types, key uniqueness, relationship key types, declared event names).
/// </summary>
public sealed class ValidateCommand(IAnsiConsole console, DestinationCatalog catalog) : AsyncCommand<ValidateCommand.Settings>
{
    public sealed class Settings : ProjectSettings
    {
        [CommandOption("--offline")]
        [Description("Check the files only; do not connect to the warehouse.")]
        public bool Offline { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var session = ProjectSession.Load(settings, console);
        var project = session.Project;
        var diagnostics = new List<Diagnostic>(project.Diagnostics);
        // Destination settings, supported operations and identifiers are checked against the destination catalog.
        diagnostics.AddRange(SyncProject.Bind(project, catalog).Diagnostics);
        if (!settings.Offline)
        {
            await using var warehouse = await ProjectWarehouse.OpenAsync(project.Project, cancellationToken: cancellationToken);
            var schemaName = project.Project.Warehouse is Core.Projects.WarehouseConfig.Postgres pg ? pg.Schema : null;
            diagnostics.AddRange(await new SchemaChecker(warehouse, schemaName).CheckAsync(project.Schema, cancellationToken));
        }
        var errors = diagnostics.Count(d => d.IsError);
        if (settings.Json)
        {
            JsonOutput.Write(console, new
            {
                ok = errors == 0,
                project = project.Project.Name,
                checkedWarehouse = !settings.Offline,
                models = project.Schema.Models.Length,
                relationships = project.Schema.Relationships.Length,
                traits = project.Schema.Traits.Length,
                audiences = project.Audiences.Select(a => a.Name),
                syncs = project.Syncs.Select(s => s.Name),
                destinations = project.Destinations.Select(d => d.Name),
                diagnostics = diagnostics.Select(DiagnosticPrinter.ToJson),
            });
        }
        else
        {
            DiagnosticPrinter.Print(console, diagnostics);
            var summary = $"{project.Schema.Models.Length} models, {project.Schema.Relationships.Length} relationships, " +
                          $"{project.Schema.Traits.Length} traits, {project.Audiences.Length} audiences, {project.Syncs.Length} syncs, {project.Destinations.Length} destinations";
            var where = settings.Offline ? "files only" : "files and warehouse";
            console.MarkupLine(errors == 0
                ? $"[green]✓[/] Project [bold]{Markup.Escape(project.Project.Name)}[/] is valid ({where}): {summary}."
                : $"[red]✗[/] Project [bold]{Markup.Escape(project.Project.Name)}[/] has {errors} error(s) ({where}).");
        }
        return errors == 0 ? ExitCodes.Success : ExitCodes.InvalidDefinition;
    }
}
