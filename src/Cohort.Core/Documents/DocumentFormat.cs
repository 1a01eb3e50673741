namespace Cohort.Core.Documents;

/// <summary>The two formats user-authored definitions are written in.</summary>
public enum DocumentFormat
{
    Yaml,
    Json,
}
