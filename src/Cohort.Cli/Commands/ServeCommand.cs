using System.ComponentModel;
using Cohort.Cli.Infrastructure;
using Cohort.Server;
using Cohort.Server.Scheduling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cohort.Cli.Commands;

/// <summary>Options naming the metadata store, shared by serve, apply and export.</summary>
public class StoreSettings : ProjectSettings
{
    [CommandOption("--store <SPEC>")]
    [Description("Metadata store: sqlite:<file> (default: <project>/.cohort/metadata.db) or postgres:<connection string>. Default: $COHORT_STORE.")]
    public string? Store { get; init; }

    public string? StoreSpec => Store ?? Environment.GetEnvironmentVariable("COHORT_STORE");
}

/// <summary><c>cohort serve</c>: the API and the Studio on one port, with the scheduler.</summary>
public sealed class ServeCommand(IAnsiConsole console, TimeProvider clock) : AsyncCommand<ServeCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandOption("--host <ADDRESS>")]
        [Description("Address to listen on. Default: 127.0.0.1 (this machine only).")]
        [DefaultValue("127.0.0.1")]
        public string Host { get; init; } = "127.0.0.1";

        [CommandOption("--port <PORT>")]
        [Description("Port to listen on; 0 picks a free one.")]
        [DefaultValue(5080)]
        public int Port { get; init; } = 5080;

        [CommandOption("--admin <USERNAME>")]
        [Description("Username of the first admin, created when the store has no user. Default: $COHORT_ADMIN_USER, else 'admin'. Its password comes from $COHORT_ADMIN_PASSWORD, else is generated and printed once.")]
        public string? Admin { get; init; }

        [CommandOption("--key-dir <FOLDER>")]
        [Description("Keep the Data Protection key ring (which encrypts destination secrets) in this folder instead of the metadata store.")]
        public string? KeyDirectory { get; init; }

        [CommandOption("--no-scheduler")]
        [Description("Do not run scheduled syncs in this process.")]
        public bool NoScheduler { get; init; }

        public override ValidationResult Validate() =>
            Port is < 0 or > 65535 ? ValidationResult.Error("--port must be between 0 and 65535.") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var path = settings.ProjectPath;
        if (!File.Exists(path) && !Directory.Exists(path))
            throw CliError.Usage($"No project at '{path}'.", "Pass --project <folder> or run the command inside a project folder.");
        var password = Environment.GetEnvironmentVariable("COHORT_ADMIN_PASSWORD");
        await using var server = await CohortServer.StartAsync(new ServerOptions
        {
            ProjectPath = path,
            Store = settings.StoreSpec,
            Host = settings.Host,
            Port = settings.Port,
            AdminUsername = settings.Admin ?? Environment.GetEnvironmentVariable("COHORT_ADMIN_USER") ?? "admin",
            AdminPassword = string.IsNullOrEmpty(password) ? null : password,
            KeyDirectory = settings.KeyDirectory,
            Clock = clock,
            Scheduler = new SchedulerOptions { Enabled = !settings.NoScheduler },
        }, cancellationToken);

        console.MarkupLine($"[bold]Cohort Studio[/] is running at [link]{Markup.Escape(server.Url)}[/]  (API reference: {Markup.Escape(server.Url)}/api/docs)");
        if (server.FirstRunPassword is { } first)
        {
            console.MarkupLine($"First run: sign in as [bold]{Markup.Escape(server.AdminUsername)}[/] with password [bold yellow]{Markup.Escape(first)}[/]");
            console.MarkupLine("[grey]This password is shown once; change roles and create users in the API (/api/users).[/]");
        }
        else if (!string.IsNullOrEmpty(password))
            console.MarkupLine($"Sign in as [bold]{Markup.Escape(server.AdminUsername)}[/] with the password in $COHORT_ADMIN_PASSWORD (if this run created the admin).");
        console.MarkupLine("[grey]Press Ctrl+C to stop.[/]");
        try
        {
            await server.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop cleanly.
        }
        return ExitCodes.Success;
    }
}
