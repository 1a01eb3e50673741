namespace Cohort.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("cohort: commands arrive with the CLI work.");
        return args.Length == 0 ? 0 : 1;
    }
}
