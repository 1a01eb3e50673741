using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cohort.Core.Diagnostics;
using Cohort.Core.Documents;

namespace Cohort.Core.Syncs;

/// <summary>
/// Reads destination definitions (docs/destinations.md) from <c>destinations/*.yaml</c> or the project file's
/// <c>destinations:</c> mapping. Settings are kept as written; their meaning is checked against the destination
/// type by the destination catalog. Secrets written as values are rejected here, whatever the type.
/// </summary>
public static partial class DestinationReader
{
    private static readonly FrozenSet<string> DestinationKeys = ["name", "type", "description", "settings"];

    public static DestinationDefinition? ReadFile(string path, DiagnosticBag diagnostics, string? displayName = null)
    {
        var root = DocumentReader.ReadFile(path, diagnostics, displayName);
        return root is null ? null : Read(root, Path.GetFileNameWithoutExtension(path), diagnostics);
    }

    public static DestinationDefinition? ReadText(string text, string fileName, DiagnosticBag diagnostics)
    {
        var format = DocumentReader.FormatOf(fileName) ?? DocumentFormat.Yaml;
        var root = DocumentReader.ReadText(text, format, fileName, diagnostics);
        return root is null ? null : Read(root, Path.GetFileNameWithoutExtension(fileName), diagnostics);
    }

    public static DestinationDefinition? Read(DocNode root, string defaultName, DiagnosticBag diagnostics) =>
        Read(root, defaultName, new NodeReader(diagnostics), allowName: true);

    internal static DestinationDefinition? Read(DocNode root, string defaultName, NodeReader reader, bool allowName)
    {
        if (reader.Mapping(root, Messages.DestinationWhat) is not { } mapping) return null;
        reader.RejectUnknownKeys(mapping, allowName ? DestinationKeys : DestinationKeys.Where(k => k != "name").ToFrozenSet(), Messages.DestinationWhat);
        var ok = true;
        var name = defaultName;
        if (allowName && mapping.Find("name") is { } nameEntry)
        {
            if (reader.Name(nameEntry.Value, "name") is { } written) name = written;
            else ok = false;
        }
        var type = reader.Required(mapping, "type", Messages.DestinationWhat) is { } typeEntry ? reader.Name(typeEntry.Value, "type") : null;
        string? description = null;
        if (mapping.Find("description") is { } descriptionEntry)
        {
            description = reader.Text(descriptionEntry.Value, "description");
            ok &= description is not null;
        }
        var settings = ImmutableArray<DestinationSetting>.Empty;
        if (mapping.Find("settings") is { } settingsEntry)
        {
            if (reader.Mapping(settingsEntry.Value, Messages.SettingsWhat) is { } settingsMapping)
            {
                var entries = Entries(settingsMapping, reader);
                if (entries is null) ok = false;
                else settings = entries.Value;
            }
            else ok = false;
        }
        if (!ok || type is null) return null;
        var destination = new DestinationDefinition(name, type, settings, description, mapping.Location);
        return SourceMap.Attach(destination, mapping);
    }

    private static ImmutableArray<DestinationSetting>? Entries(DocMapping mapping, NodeReader reader)
    {
        var result = ImmutableArray.CreateBuilder<DestinationSetting>();
        var ok = true;
        foreach (var entry in mapping.Entries)
        {
            var value = Value(entry.Value, entry.Key, reader);
            if (value is null)
            {
                ok = false;
                continue;
            }
            if (value is SettingValue.Literal literal) CheckNotSecret(entry.Key, literal, entry.Value.Location, reader);
            result.Add(new DestinationSetting(entry.Key, value, entry.KeyLocation));
        }
        return ok ? result.ToImmutable() : null;
    }

    private static SettingValue? Value(DocNode node, string key, NodeReader reader)
    {
        switch (node)
        {
            case DocScalar scalar when scalar.IsNull:
                reader.Error(DiagnosticCodes.InvalidValue, Messages.NullSetting(key), node.Location);
                return null;
            case DocScalar scalar:
                return new SettingValue.Literal(scalar.Text) { Location = node.Location };
            case DocSequence list:
                var items = ImmutableArray.CreateBuilder<SettingValue>();
                var ok = true;
                foreach (var item in list.Items)
                {
                    if (Value(item, key, reader) is { } value)
                    {
                        if (value is SettingValue.Literal literal) CheckNotSecret(key, literal, item.Location, reader);
                        items.Add(value);
                    }
                    else ok = false;
                }
                return ok ? new SettingValue.List(items.ToImmutable()) { Location = node.Location } : null;
            case DocMapping mapping when mapping.Entries.Count == 1 && mapping.Entries[0].Key is "env" or "secret":
                var reference = mapping.Entries[0];
                if (reader.Name(reference.Value, reference.Key) is not { } referenceName) return null;
                if (reference.Key == "env")
                {
                    if (EnvironmentName().IsMatch(referenceName)) return new SettingValue.Environment(referenceName) { Location = node.Location };
                    reader.Error(DiagnosticCodes.InvalidValue, Messages.InvalidEnvironmentName(referenceName), reference.Value.Location);
                    return null;
                }
                return new SettingValue.Secret(referenceName) { Location = node.Location };
            case DocMapping mapping:
                return Entries(mapping, reader) is { } entries ? new SettingValue.Map(entries) { Location = node.Location } : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// A value written in plain text under a key that names a secret (password, token, api_key, ...), or a
    /// connection string or URL carrying a password, is an error: secrets come from the environment or the secret store.
    /// </summary>
    private static void CheckNotSecret(string key, SettingValue.Literal literal, SourceLocation location, NodeReader reader)
    {
        if (LooksLikeSecretKey(key))
            reader.Error(DiagnosticCodes.LiteralSecret, Messages.LiteralSecret(key), location, ["{env: NAME}", "{secret: NAME}"]);
        else if (CarriesPassword(literal.Text))
            reader.Error(DiagnosticCodes.LiteralSecret, Messages.PasswordInSetting(key), location, ["{env: NAME}", "{secret: NAME}"]);
    }

    /// <summary>True for setting names that hold secrets by convention (case, '-' and '_' ignored).</summary>
    public static bool LooksLikeSecretKey(string key)
    {
        var normal = key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return SecretWords.Any(w => normal.Contains(w, StringComparison.Ordinal));
    }

    private static readonly string[] SecretWords =
        ["secret", "password", "passwd", "token", "apikey", "accesskey", "privatekey", "credential", "authorization", "signingkey"];

    private static bool CarriesPassword(string text) => PasswordPair().IsMatch(text) || UrlPassword().IsMatch(text);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex(@"(?i)(^|[;\s])(password|pwd)\s*=\s*[^;\s]")]
    private static partial Regex PasswordPair();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://[^/@:\s]+:[^/@\s]+@")]
    private static partial Regex UrlPassword();
}
