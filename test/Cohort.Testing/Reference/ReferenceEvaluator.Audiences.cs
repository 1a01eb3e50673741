using System.Security.Cryptography;
using System.Text;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, object?>;

namespace Cohort.Testing.Reference;

// Sections 11 and 12: audience membership, exclusions, size limits and splits.
public sealed partial class ReferenceEvaluator
{
    private readonly Dictionary<(string Audience, EvaluationContext Context), IReadOnlySet<object>> memberships = [];
    private readonly HashSet<string> evaluating = new(StringComparer.Ordinal);

    /// <summary>
    /// The keys of the audience's members at <paramref name="ctx"/>: candidates (non-NULL key, condition true),
    /// minus members of excluded audiences, cut to the size limit. Keys are the parent key values (long or string).
    /// </summary>
    public IReadOnlySet<object> Members(AudienceDefinition audience, EvaluationContext ctx) =>
        OrderedMembers(audience, ctx).Select(m => m.Key).ToHashSet();

    /// <summary>The members in limit order (or dataset order without a limit), each with its parent row.</summary>
    public IReadOnlyList<(object Key, Row Row)> OrderedMembers(AudienceDefinition audience, EvaluationContext ctx)
    {
        if (!evaluating.Add(audience.Name))
            throw new InvalidOperationException($"Audience '{audience.Name}' refers to itself (COH330).");
        try
        {
            var parent = ParentOf(audience);
            var members = Candidates(audience, parent, ctx).ToList();
            foreach (var excluded in audience.Exclusions)
            {
                var removed = MembersByName(excluded, parent, ctx);
                members.RemoveAll(m => removed.Contains(m.Key));
            }
            if (audience.Limit is { } limit)
            {
                if (limit.Size < 0) throw new InvalidOperationException("A size limit cannot be negative (COH333).");
                members = [.. members.Order(LimitOrder(audience, parent, ctx)).Take((int)Math.Min(limit.Size, int.MaxValue))];
            }
            return members;
        }
        finally
        {
            evaluating.Remove(audience.Name);
        }
    }

    /// <summary>
    /// How each top-level AND block narrows the audience: the number of candidates satisfying the first block, the
    /// first two, and so on (before exclusions and the limit). A condition that is not an <c>all</c> is one block;
    /// no condition gives no blocks.
    /// </summary>
    public IReadOnlyList<long> BlockCounts(AudienceDefinition audience, EvaluationContext ctx)
    {
        var parent = ParentOf(audience);
        var blocks = audience.Condition switch
        {
            null => [],
            AllCondition all => all.Conditions,
            var single => [single],
        };
        var counts = new List<long>();
        var remaining = KeyedRows(parent).ToList();
        foreach (var block in blocks)
        {
            remaining = [.. remaining.Where(m => Matches(block, parent, m.Row, ctx))];
            counts.Add(remaining.Count);
        }
        return counts;
    }

    /// <summary>
    /// The split group of a member key, or null when the audience has no splits. The bucket is
    /// uint32(first 8 hex digits of md5(salt + ":" + key as text)) mod 10000; groups take consecutive ranges of
    /// percent × 100 buckets in the order listed.
    /// </summary>
    public string? SplitGroup(AudienceDefinition audience, object key)
    {
        if (audience.Splits is not { } splits) return null;
        var bucket = SplitBucket(splits.Salt, key);
        var end = 0;
        foreach (var group in splits.Groups)
        {
            var width = group.Percent * 100;
            if (width != decimal.Truncate(width) || width < 0)
                throw new InvalidOperationException($"Split percent {group.Percent} has more than two decimals (COH332).");
            end += (int)width;
            if (bucket < end) return group.Name;
        }
        throw new InvalidOperationException($"Split percentages of '{audience.Name}' do not add up to 100 (COH332).");
    }

    /// <summary>uint32(first 8 hex digits of md5(salt + ":" + key as text)) mod 10000; text hashed as UTF-8.</summary>
    public static int SplitBucket(string salt, object key)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(salt + ":" + Values.KeyText(key)));
        var hex = Convert.ToHexStringLower(hash);
        return (int)(uint.Parse(hex[..8], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) % 10000);
    }

    private bool IsMember(string audienceName, ModelDefinition parent, Row row, EvaluationContext ctx)
    {
        var key = ReferenceDataset.Get(row, parent.PrimaryKey!);
        return key is not null && MembersByName(audienceName, parent, ctx).Contains(key);
    }

    private IReadOnlySet<object> MembersByName(string name, ModelDefinition parent, EvaluationContext ctx)
    {
        if (memberships.TryGetValue((name, ctx), out var cached)) return cached;
        var audience = audiences.GetValueOrDefault(name) ?? throw new InvalidOperationException($"Unknown audience '{name}'.");
        if (audience.Model != parent.Name)
            throw new InvalidOperationException($"Audience '{name}' is over '{audience.Model}', not '{parent.Name}' (COH331).");
        var members = Members(audience, ctx);
        memberships[(name, ctx)] = members;
        return members;
    }

    private IEnumerable<(object Key, Row Row)> Candidates(AudienceDefinition audience, ModelDefinition parent, EvaluationContext ctx) =>
        KeyedRows(parent).Where(m => audience.Condition is null || Matches(audience.Condition, parent, m.Row, ctx));

    /// <summary>Parent rows with a non-NULL key.</summary>
    private IEnumerable<(object Key, Row Row)> KeyedRows(ModelDefinition parent) =>
        data.Rows(parent.Name)
            .Select(row => (Key: ReferenceDataset.Get(row, parent.PrimaryKey!), Row: row))
            .Where(m => m.Key is not null)
            .Select(m => (m.Key!, m.Row));

    private ModelDefinition ParentOf(AudienceDefinition audience)
    {
        var parent = Schema.GetModel(audience.Model);
        if (parent.Kind != ModelKind.Parent || parent.PrimaryKey is null)
            throw new InvalidOperationException($"Audience '{audience.Name}' must be over a parent model with a primary key.");
        return parent;
    }

    /// <summary>
    /// Limit order: the order_by terms (NULLs last whatever the direction), then key ascending; with no order_by,
    /// split bucket then key. The salt is the split salt, or the audience name when it has no splits.
    /// </summary>
    private Comparer<(object Key, Row Row)> LimitOrder(AudienceDefinition audience, ModelDefinition parent, EvaluationContext ctx)
    {
        var terms = audience.Limit!.OrderBy;
        var salt = audience.Splits?.Salt ?? audience.Name;
        var sortValues = new Dictionary<object, object?[]>(Values.Instance);
        object?[] ValuesOf((object Key, Row Row) m)
        {
            if (!sortValues.TryGetValue(m.Key, out var values))
            {
                values = terms.IsDefaultOrEmpty
                    ? [(long)SplitBucket(salt, m.Key)]
                    : [.. terms.Select(t => OrderValue(t, parent, m.Row, ctx))];
                sortValues[m.Key] = values;
            }
            return values;
        }

        return Comparer<(object Key, Row Row)>.Create((x, y) =>
        {
            var a = ValuesOf(x);
            var b = ValuesOf(y);
            for (var i = 0; i < a.Length; i++)
            {
                var descending = !terms.IsDefaultOrEmpty && terms[i].Descending;
                var c = (a[i], b[i]) switch
                {
                    (null, null) => 0,
                    (null, _) => 1,  // NULLs last, in either direction
                    (_, null) => -1,
                    var (p, q) => descending ? -Values.Order(p, q) : Values.Order(p, q),
                };
                if (c != 0) return c;
            }
            return Values.Order(x.Key, y.Key);
        });
    }

    private object? OrderValue(OrderTerm term, ModelDefinition parent, Row row, EvaluationContext ctx)
    {
        var value = term.Source switch
        {
            OrderSource.Column => ReferenceDataset.Get(row, ColumnOf(parent, term.Name).Name),
            OrderSource.Trait => ComputeTrait(Schema.FindTrait(term.Name) ?? throw new InvalidOperationException($"Unknown trait '{term.Name}'."), row, ctx),
            _ => throw new InvalidOperationException($"Unknown order source {term.Source}."),
        };
        return value is IReadOnlyList<object?> ? throw new InvalidOperationException($"Cannot order by list value '{term.Name}'.") : value;
    }
}
