using System.Collections.Immutable;

namespace Cohort.Destinations.Configuration;

public enum SettingKind
{
    Text,
    Integer,
    Number,
    Boolean,
    /// <summary>A secret: only <c>{env: NAME}</c> or <c>{secret: NAME}</c> is accepted, never a value.</summary>
    Secret,
    /// <summary>A mapping of text values (values may be references).</summary>
    Map,
    /// <summary>One of <see cref="SettingSpec.Choices"/>.</summary>
    Choice,
}

/// <summary>One setting a destination type takes: its name, kind, whether it is required, and what it means.</summary>
public sealed record SettingSpec(
    string Name,
    SettingKind Kind,
    string Description,
    bool Required = false,
    string? Default = null,
    ImmutableArray<string> Choices = default,
    long? Minimum = null,
    long? Maximum = null)
{
    public ImmutableArray<string> Choices { get; init; } = Choices.IsDefault ? [] : Choices;

    public static SettingSpec Text(string name, string description, bool required = false, string? @default = null) =>
        new(name, SettingKind.Text, description, required, @default);

    public static SettingSpec Secret(string name, string description, bool required = true) =>
        new(name, SettingKind.Secret, description, required);

    public static SettingSpec Integer(string name, string description, long minimum, long maximum, long? @default = null) =>
        new(name, SettingKind.Integer, description, false, @default?.ToString(System.Globalization.CultureInfo.InvariantCulture), default, minimum, maximum);

    public static SettingSpec Number(string name, string description, string? @default = null) =>
        new(name, SettingKind.Number, description, false, @default);

    public static SettingSpec Boolean(string name, string description, bool @default) =>
        new(name, SettingKind.Boolean, description, false, @default ? "true" : "false");

    public static SettingSpec Map(string name, string description) => new(name, SettingKind.Map, description);

    public static SettingSpec Choice(string name, string description, ImmutableArray<string> choices, string? @default = null, bool required = false) =>
        new(name, SettingKind.Choice, description, required, @default, choices);
}
