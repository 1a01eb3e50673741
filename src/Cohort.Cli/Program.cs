namespace Cohort.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => CohortCli.RunAsync(args);
}
