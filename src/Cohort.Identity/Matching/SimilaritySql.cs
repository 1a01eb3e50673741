using Cohort.Sql;

namespace Cohort.Identity.Matching;

/// <summary>
/// SQL text for the functions of <see cref="Similarity"/>, returning the same values on DuckDB and PostgreSQL.
/// DuckDB has Jaro-Winkler and Levenshtein built in; PostgreSQL gets PL/pgSQL copies (see <see cref="Setup"/>)
/// rather than fuzzystrmatch, which a user's warehouse may not have installed and which differs from DuckDB
/// anyway. Like DuckDB, both functions work on UTF-8 bytes. Arguments are SQL expressions of type text.
/// </summary>
internal static class SimilaritySql
{
    /// <summary>Statements to run once before matching: none on DuckDB; the two functions on PostgreSQL.</summary>
    public static IReadOnlyList<string> Setup(SqlDialectName dialect, string quotedSchema) => dialect switch
    {
        SqlDialectName.DuckDb => [],
        SqlDialectName.Postgres =>
        [
            $"CREATE SCHEMA IF NOT EXISTS {quotedSchema}",
            PostgresJaroWinkler(quotedSchema),
            PostgresLevenshtein(quotedSchema),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, null),
    };

    public static string JaroWinkler(SqlDialectName d, string quotedSchema, string a, string b) => d == SqlDialectName.DuckDb
        ? $"jaro_winkler_similarity({a}, {b})"
        : $"{quotedSchema}.cohort_jaro_winkler({a}, {b})";

    public static string Levenshtein(SqlDialectName d, string quotedSchema, string a, string b) => d == SqlDialectName.DuckDb
        ? $"levenshtein({a}, {b})"
        : $"{quotedSchema}.cohort_levenshtein({a}, {b})";

    /// <summary>
    /// Soundex as one expression, the same text on both engines (<paramref name="d"/> is kept for symmetry).
    /// DuckDB's RE2 has no backreferences, so runs of equal digits collapse one digit at a time.
    /// </summary>
    public static string Soundex(SqlDialectName d, string a)
    {
        _ = d;
        // The ASCII letters, lower-cased; NULL when there are none. Filtering before lower() keeps out letters
        // whose lower case is ASCII ('İ', the Kelvin sign), which the engines lower differently.
        var letters = $"nullif(lower(regexp_replace({a}, '[^A-Za-z]', '', 'g')), '')";
        // The first letter's code (h and w count as no code, like a vowel), then the rest's codes with vowels
        // as '0' separators and h/w deleted (translate drops characters beyond the end of the target list).
        var digits =
            $"translate(substr({letters}, 1, 1), 'aeiouyhwbfpvcgjkqsxzdtlmnr', '00000000111122222222334556')"
            + $" || translate(substr({letters}, 2), 'aeiouybfpvcgjkqsxzdtlmnrhw', '000000111122222222334556')";
        for (var digit = 1; digit <= 6; digit++) digits = $"regexp_replace({digits}, '{digit}+', '{digit}', 'g')";
        // Drop the first letter's code (a repeat of it has collapsed into it), then the separators; pad or cut to 3.
        return $"(upper(substr({letters}, 1, 1)) || rpad(replace(substr({digits}, 2), '0', ''), 3, '0'))";
    }

    // Jaro-Winkler as rapidfuzz (DuckDB) computes it: see Similarity.JaroWinkler.
    private static string PostgresJaroWinkler(string schema) => $$"""
        CREATE OR REPLACE FUNCTION {{schema}}.cohort_jaro_winkler(a text, b text) RETURNS double precision
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
        DECLARE
            p bytea; t bytea; lp int; lt int; bound int; pc int;
            mp boolean[]; mt boolean[];
            common int := 0; transposed int := 0; k int := 0; prefix int := 0; sim double precision;
        BEGIN
            IF a = '' OR b = '' THEN RETURN 0; END IF;
            IF a = b THEN RETURN 1; END IF;
            p := convert_to(a, 'UTF8'); t := convert_to(b, 'UTF8');
            lp := length(p); lt := length(t);
            bound := greatest(greatest(lp, lt) / 2 - 1, 0);
            mp := array_fill(false, ARRAY[lp]); mt := array_fill(false, ARRAY[lt]);
            FOR i IN 0 .. lp - 1 LOOP
                pc := get_byte(p, i);
                FOR j IN greatest(0, i - bound) .. least(lt - 1, i + bound) LOOP
                    IF NOT mt[j + 1] AND get_byte(t, j) = pc THEN
                        mt[j + 1] := true; mp[i + 1] := true; common := common + 1;
                        EXIT;
                    END IF;
                END LOOP;
            END LOOP;
            IF common = 0 THEN RETURN 0; END IF;
            FOR i IN 0 .. lp - 1 LOOP
                IF mp[i + 1] THEN
                    WHILE NOT mt[k + 1] LOOP k := k + 1; END LOOP;
                    IF get_byte(p, i) <> get_byte(t, k) THEN transposed := transposed + 1; END IF;
                    k := k + 1;
                END IF;
            END LOOP;
            sim := (common::double precision / lp + common::double precision / lt
                    + (common - transposed / 2)::double precision / common) / 3.0;
            IF sim > 0.7 THEN
                WHILE prefix < least(4, lp, lt) AND get_byte(p, prefix) = get_byte(t, prefix) LOOP
                    prefix := prefix + 1;
                END LOOP;
                sim := sim + prefix * 0.1 * (1.0 - sim);
            END IF;
            RETURN sim;
        END
        $fn$
        """;

    // Two-row dynamic programme over UTF-8 bytes, like DuckDB's levenshtein.
    private static string PostgresLevenshtein(string schema) => $$"""
        CREATE OR REPLACE FUNCTION {{schema}}.cohort_levenshtein(a text, b text) RETURNS integer
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
        DECLARE
            s bytea; t bytea; ls int; lt int; sc int; cost int;
            previous int[]; current int[];
        BEGIN
            IF a = b THEN RETURN 0; END IF;
            s := convert_to(a, 'UTF8'); t := convert_to(b, 'UTF8');
            ls := length(s); lt := length(t);
            IF ls = 0 THEN RETURN lt; END IF;
            IF lt = 0 THEN RETURN ls; END IF;
            previous := ARRAY(SELECT generate_series(0, lt));
            current := array_fill(0, ARRAY[lt + 1]);
            FOR i IN 1 .. ls LOOP
                current[1] := i;
                sc := get_byte(s, i - 1);
                FOR j IN 1 .. lt LOOP
                    cost := CASE WHEN sc = get_byte(t, j - 1) THEN 0 ELSE 1 END;
                    current[j + 1] := least(previous[j] + cost, previous[j + 1] + 1, current[j] + 1);
                END LOOP;
                previous := current;
            END LOOP;
            RETURN previous[lt + 1];
        END
        $fn$
        """;
}
