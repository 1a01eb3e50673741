using System.Collections.Immutable;
using Cohort.Core.Diagnostics;

namespace Cohort.Core.Syncs;

/// <summary>
/// A configured destination (docs/destinations.md): its name, its type (webhook, file, postgres, or a platform
/// connector) and its settings. Secrets are never values here: only references to an environment variable or to
/// the secret store, resolved when the destination is opened.
/// </summary>
public sealed record DestinationDefinition(
    string Name,
    string Type,
    ImmutableArray<DestinationSetting> Settings,
    string? Description = null,
    SourceLocation? Location = null)
{
    public DestinationSetting? Find(string key) => Settings.FirstOrDefault(s => s.Key == key);
}

/// <summary>One setting, where it was written, and its value.</summary>
public sealed record DestinationSetting(string Key, SettingValue Value, SourceLocation? Location = null);

/// <summary>A setting's value as written. The closed set of shapes a destination setting can take.</summary>
public abstract record SettingValue
{
    private SettingValue() { }

    public SourceLocation? Location { get; init; }

    /// <summary>A scalar written in the file: text, a number or a boolean (kept as its text).</summary>
    public sealed record Literal(string Text) : SettingValue;

    /// <summary><c>{env: NAME}</c>: the value of an environment variable, read when the destination is opened.</summary>
    public sealed record Environment(string Variable) : SettingValue;

    /// <summary><c>{secret: NAME}</c>: a secret from the secret store (the server's encrypted store), read when opened.</summary>
    public sealed record Secret(string Name) : SettingValue;

    /// <summary>A mapping of further settings (e.g. HTTP headers).</summary>
    public sealed record Map(ImmutableArray<DestinationSetting> Entries) : SettingValue;

    /// <summary>A list of values.</summary>
    public sealed record List(ImmutableArray<SettingValue> Items) : SettingValue;

    public bool IsReference => this is Environment or Secret;
}
