using System.Runtime.CompilerServices;
using Cohort.Core.Projects;

namespace Cohort.Warehouses.Tests.Shop;

/// <summary>The examples/shop project and its seed script, for tests that need a realistic small warehouse.</summary>
public static class ShopFixture
{
    public static string Directory([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "examples", "shop"));

    public static LoadedProject Project()
    {
        var project = ProjectLoader.Load(Directory());
        Assert.False(project.HasErrors, string.Join("\n", project.Diagnostics));
        return project;
    }

    public static async Task SeedAsync(IWarehouse warehouse) =>
        await warehouse.ExecuteScriptAsync(await File.ReadAllTextAsync(Path.Combine(Directory(), "seed.sql")));
}
