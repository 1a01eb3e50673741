using System.Globalization;
using System.Text;
using static Cohort.Demo.Generation.SqlText;

namespace Cohort.Demo.Generation;

/// <summary>
/// Deterministic pseudo-random columns computed inside the warehouse. Each named stream <c>s</c> becomes a column
/// <c>r_s</c> in [0, 2^31 - 1), a hash of the row's key columns, the seed, the scope (the table) and the stream
/// name:
/// <code>
/// x0 = k1 * a1 + k2 * a2 + ... + b                   (mod P)
/// x1 = x0 * x0 + c                                     (mod P)
/// r  = x1 * x1 + d                                     (mod P)
/// </code>
/// with constants drawn (in C#) from the seed, scope and stream. Two squarings make the streams of one row, and
/// neighbouring keys, look independent. Keys are below 2^31 and multipliers below 2^29, so with at most three keys
/// everything stays below 2^63: there is no overflow on either engine,
/// and integer arithmetic gives identical results on DuckDB and PostgreSQL. Each round is its own subquery
/// layer, so an expression never repeats its input (and engines compute every stream once per row). PostgreSQL
/// would flatten the layers back into one expression, repeating each input twice per layer, so there every layer
/// ends with the <paramref name="fence"/> <c>OFFSET 0</c>, which keeps a subquery a subquery; DuckDB needs none
/// (and runs a LIMIT/OFFSET pipeline on one thread).
/// </summary>
internal sealed class RandomColumns(long seed, string scope, string fence = "")
{
    private const long MaxMultiplier = 1L << 29;
    private readonly List<string> _streams = [];

    /// <summary>The column holding stream <paramref name="name"/>; registers the stream on first use.</summary>
    public string this[string name]
    {
        get
        {
            if (!_streams.Contains(name)) _streams.Add(name);
            return "r_" + name;
        }
    }

    /// <summary>
    /// Stands for <paramref name="source"/> (a table or a parenthesised SELECT) with every stream as a column next to
    /// the source's own. Returns a placeholder: streams may still be registered while the rest of the statement is
    /// built, and <see cref="Bind"/> puts the real subquery in once it is complete. One to three key columns, each a
    /// non-negative integer column of the source below 2^31; together they identify the row.
    /// </summary>
    public string Over(string source, params string[] keys)
    {
        if (keys.Length is 0 or > 3) throw new ArgumentException("Give one to three key columns.", nameof(keys));
        if (_source is not null) throw new InvalidOperationException("Over may be used once per RandomColumns.");
        _source = source;
        _keys = keys;
        return Placeholder;
    }

    /// <summary>Replaces the placeholder of <see cref="Over"/> in a finished statement.</summary>
    public string Bind(string sql)
    {
        if (_source is null || _keys is null) throw new InvalidOperationException("Call Over first.");
        if (!sql.Contains(Placeholder, StringComparison.Ordinal)) throw new InvalidOperationException("The statement does not use the random source.");
        return sql.Replace(Placeholder, Layers(_source, _keys), StringComparison.Ordinal);
    }

    private string Placeholder => $"/*random columns of {scope}*/";

    private string? _source;
    private string[]? _keys;

    private string Layers(string source, string[] keys)
    {
        if (_streams.Count == 0) return source;
        var layer0 = new StringBuilder();
        var layer1 = new StringBuilder();
        var layer2 = new StringBuilder();
        foreach (var stream in _streams)
        {
            var h = SplitMix(unchecked((ulong)seed ^ Fnv(scope + "/" + stream)));
            var mix = string.Join(" + ", keys.Select((k, i) =>
                $"CAST({k} AS BIGINT) * {Int(1 + (long)(SplitMix(h + (ulong)i + 1) % (MaxMultiplier - 1)))}"));
            var b = (long)(SplitMix(h + 11) % P);
            var c = (long)(SplitMix(h + 12) % P);
            var d = (long)(SplitMix(h + 13) % P);
            layer0.Append(CultureInfo.InvariantCulture, $", ({mix} + {Int(b)}) % {Int(P)} AS r_{stream}_0");
            layer1.Append(CultureInfo.InvariantCulture, $", (r_{stream}_0 * r_{stream}_0 + {Int(c)}) % {Int(P)} AS r_{stream}_1");
            layer2.Append(CultureInfo.InvariantCulture, $", (r_{stream}_1 * r_{stream}_1 + {Int(d)}) % {Int(P)} AS r_{stream}");
        }
        return $"(SELECT q1.*{layer2} FROM (SELECT q0.*{layer1} FROM (SELECT b.*{layer0} FROM {source} AS b{fence}) AS q0{fence}) AS q1{fence})";
    }

    private static ulong Fnv(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in text)
        {
            hash ^= ch;
            hash = unchecked(hash * 1099511628211UL);
        }
        return hash;
    }

    private static ulong SplitMix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
