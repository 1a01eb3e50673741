using System.Collections.Frozen;
using System.Globalization;

namespace Cohort.Destinations.Identifiers;

/// <summary>ISO 3166-1 alpha-2 lookup from codes and names, built from the runtime's region data plus common aliases.</summary>
internal static class Countries
{
    private static readonly FrozenDictionary<string, string> ByKey = Build();

    public static bool TryGetAlpha2(string value, out string code)
    {
        code = "";
        var key = Key(value);
        if (key.Length == 0) return false;
        if (ByKey.TryGetValue(key, out var found)) { code = found; return true; }
        return false;
    }

    private static string Key(string value) =>
        string.Concat(value.Normalize(System.Text.NormalizationForm.FormC).Where(char.IsLetter)).ToUpperInvariant();

    private static FrozenDictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            RegionInfo region;
            try
            {
                region = new RegionInfo(culture.Name);
            }
            catch (ArgumentException)
            {
                continue;
            }
            var alpha2 = region.TwoLetterISORegionName.ToUpperInvariant();
            if (alpha2.Length != 2 || !alpha2.All(char.IsAsciiLetter)) continue;
            map.TryAdd(alpha2, alpha2);
            if (region.ThreeLetterISORegionName.Length == 3) map.TryAdd(Key(region.ThreeLetterISORegionName), alpha2);
            map.TryAdd(Key(region.EnglishName), alpha2);
            map.TryAdd(Key(region.NativeName), alpha2);
        }
        string[][] aliases =
        [
            ["US", "USA", "United States of America", "America", "U.S.", "U.S.A."],
            ["GB", "UK", "United Kingdom", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"],
            ["AE", "UAE"],
            ["KR", "South Korea", "Korea"],
            ["RU", "Russia"],
            ["CZ", "Czech Republic", "Czechia"],
            ["NL", "Holland", "The Netherlands"],
        ];
        foreach (var row in aliases)
        {
            foreach (var alias in row.Skip(1)) map[Key(alias)] = row[0];
            map.TryAdd(row[0], row[0]);
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>US state names to their two-letter ANSI / USPS codes.</summary>
internal static class UsStates
{
    private static readonly FrozenDictionary<string, string> ByName = new Dictionary<string, string>
    {
        ["ALABAMA"] = "AL", ["ALASKA"] = "AK", ["ARIZONA"] = "AZ", ["ARKANSAS"] = "AR", ["CALIFORNIA"] = "CA",
        ["COLORADO"] = "CO", ["CONNECTICUT"] = "CT", ["DELAWARE"] = "DE", ["DISTRICTOFCOLUMBIA"] = "DC", ["FLORIDA"] = "FL",
        ["GEORGIA"] = "GA", ["HAWAII"] = "HI", ["IDAHO"] = "ID", ["ILLINOIS"] = "IL", ["INDIANA"] = "IN", ["IOWA"] = "IA",
        ["KANSAS"] = "KS", ["KENTUCKY"] = "KY", ["LOUISIANA"] = "LA", ["MAINE"] = "ME", ["MARYLAND"] = "MD",
        ["MASSACHUSETTS"] = "MA", ["MICHIGAN"] = "MI", ["MINNESOTA"] = "MN", ["MISSISSIPPI"] = "MS", ["MISSOURI"] = "MO",
        ["MONTANA"] = "MT", ["NEBRASKA"] = "NE", ["NEVADA"] = "NV", ["NEWHAMPSHIRE"] = "NH", ["NEWJERSEY"] = "NJ",
        ["NEWMEXICO"] = "NM", ["NEWYORK"] = "NY", ["NORTHCAROLINA"] = "NC", ["NORTHDAKOTA"] = "ND", ["OHIO"] = "OH",
        ["OKLAHOMA"] = "OK", ["OREGON"] = "OR", ["PENNSYLVANIA"] = "PA", ["RHODEISLAND"] = "RI", ["SOUTHCAROLINA"] = "SC",
        ["SOUTHDAKOTA"] = "SD", ["TENNESSEE"] = "TN", ["TEXAS"] = "TX", ["UTAH"] = "UT", ["VERMONT"] = "VT",
        ["VIRGINIA"] = "VA", ["WASHINGTON"] = "WA", ["WESTVIRGINIA"] = "WV", ["WISCONSIN"] = "WI", ["WYOMING"] = "WY",
        ["PUERTORICO"] = "PR", ["GUAM"] = "GU", ["AMERICANSAMOA"] = "AS", ["USVIRGINISLANDS"] = "VI",
        ["NORTHERNMARIANAISLANDS"] = "MP",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryGetCode(string value, out string code) =>
        ByName.TryGetValue(string.Concat(value.Where(char.IsAsciiLetter)).ToUpperInvariant(), out code!);
}
