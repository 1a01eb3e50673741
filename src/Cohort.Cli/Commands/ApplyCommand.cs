using System.ComponentModel;
using Cohort.Cli.Infrastructure;
using Cohort.Server;
using Cohort.Server.Security;
using Cohort.Server.Services;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cohort.Cli.Commands;

/// <summary><c>cohort apply</c>: import the YAML project into the metadata store (idempotent), showing what changed.</summary>
public sealed class ApplyCommand(IAnsiConsole console, TimeProvider clock) : AsyncCommand<ApplyCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandOption("--prune")]
        [Description("Also delete audiences, syncs and destinations that are in the store but not in the project.")]
        public bool Prune { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ProjectSession.Load(settings, console); // every file valid first, or nothing is written
        await using var services = await CohortServer.CreateOfflineServicesAsync(new ServerOptions { ProjectPath = settings.ProjectPath, Store = settings.StoreSpec, Clock = clock }, cancellationToken);
        var actor = Actor.System with { Username = "cli:" + Environment.UserName };
        var changes = await services.GetRequiredService<ProjectTransfer>().ApplyAsync(actor, settings.ProjectPath, settings.Prune, cancellationToken);
        TransferOutput.Write(console, changes, settings.Json, "applied to the store");
        return ExitCodes.Success;
    }
}

/// <summary><c>cohort export</c>: write the metadata store back as a YAML project (schema, audiences, destinations, syncs).</summary>
public sealed class ExportCommand(IAnsiConsole console, TimeProvider clock) : AsyncCommand<ExportCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandOption("-o|--out <FOLDER>")]
        [Description("Where to write the project files. Default: the project folder.")]
        public string? Out { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var services = await CohortServer.CreateOfflineServicesAsync(new ServerOptions { ProjectPath = settings.ProjectPath, Store = settings.StoreSpec, Clock = clock }, cancellationToken);
        var options = new ServerOptions { ProjectPath = settings.ProjectPath };
        var target = settings.Out ?? options.ProjectDirectory;
        var changes = await services.GetRequiredService<ProjectTransfer>().ExportAsync(target, cancellationToken);
        var projectFile = Path.Combine(options.ProjectDirectory, Core.Projects.ProjectDefinition.FileName);
        var targetProjectFile = Path.Combine(target, Core.Projects.ProjectDefinition.FileName);
        if (!File.Exists(targetProjectFile) && File.Exists(projectFile))
        {
            File.Copy(projectFile, targetProjectFile);
            // The copied cohort.yaml may name an init script beside it: bring that along so the folder is a working project.
            if (Core.Projects.ProjectLoader.Load(settings.ProjectPath).Project.Warehouse is Core.Projects.WarehouseConfig.DuckDb { InitSqlPath: { } init } && File.Exists(init))
            {
                var relative = Path.GetRelativePath(options.ProjectDirectory, init);
                var copy = Path.Combine(target, relative);
                if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative) && !File.Exists(copy))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                    File.Copy(init, copy);
                }
            }
        }
        TransferOutput.Write(console, changes, settings.Json, $"exported to {target}");
        return ExitCodes.Success;
    }
}

internal static class TransferOutput
{
    public static void Write(IAnsiConsole console, List<TransferChange> changes, bool json, string what)
    {
        if (json)
        {
            JsonOutput.Write(console, new { changes = changes.Select(c => new { kind = c.Kind, name = c.Name, change = c.Change }) });
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("kind").AddColumn("name").AddColumn("change");
        foreach (var c in changes)
            table.AddRow(Markup.Escape(c.Kind), Markup.Escape(c.Name), c.Change == "unchanged" ? "[grey]unchanged[/]" : $"[bold]{Markup.Escape(c.Change)}[/]");
        console.Write(table);
        var changed = changes.Count(c => c.Change != "unchanged");
        console.MarkupLine($"{changed} change{(changed == 1 ? "" : "s")} {Markup.Escape(what)}; {changes.Count - changed} unchanged.");
    }
}
