using System.Security.Cryptography;
using System.Text;
using Cohort.Core.Audiences;
using Cohort.Core.Schema;
using Cohort.Core.Time;

namespace Cohort.Warehouses.Preview.Cache;

/// <summary>
/// The identity of a cached per-condition result: everything its rows depend on apart from the warehouse's data
/// (which <see cref="IFreshness"/> covers) — the condition, the parent model, asOf, the time zone, the schema, and
/// every audience the condition refers to, directly or through other audiences.
/// </summary>
internal static class CacheKeys
{
    public static string For(Condition condition, string model, EvaluationContext ctx, string schemaFingerprint, IReadOnlyDictionary<string, AudienceDefinition> audiences)
    {
        var text = new StringBuilder()
            .Append("v1\n").Append(model).Append('\n')
            .Append(ctx.AsOfUtc.Ticks).Append('\n').Append(ctx.TimeZone.Id).Append('\n')
            .Append(schemaFingerprint).Append('\n')
            .Append(CanonicalJson.Of(condition)).Append('\n');
        foreach (var name in ReferencedAudiences(condition, audiences).Order(StringComparer.Ordinal))
            text.Append(CanonicalJson.Of(audiences[name])).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string Schema(SchemaDefinition schema)
    {
        var text = new StringBuilder();
        foreach (var m in schema.Models)
        {
            text.Append("model ").Append(m.Name).Append(' ').Append(m.Kind).Append(' ').Append(m.Source switch
            {
                ModelSource.Table t => "table " + t,
                ModelSource.Query q => "sql " + q.Sql,
                _ => "",
            }).Append(' ').Append(m.PrimaryKey).Append(' ').Append(m.TimestampColumn).Append(' ').Append(m.EventNameColumn)
              .Append(' ').Append(m.EventName).Append(' ').AppendJoin(',', m.EventNames).Append('\n');
            foreach (var c in m.Columns) text.Append("  ").Append(c.Name).Append(':').Append(c.Type).Append('\n');
        }
        foreach (var r in schema.Relationships)
            text.Append("rel ").Append(r.Name).Append(' ').Append(r.From).Append('.').Append(r.FromKey).Append(' ').Append(r.To).Append('.')
                .Append(r.ToKey).Append(' ').Append(r.Cardinality).Append(' ').Append(r.Through?.Model).Append(' ').Append(r.Through?.FromKey)
                .Append(' ').Append(r.Through?.ToKey).Append(' ').Append(r.ReverseName).Append('\n');
        foreach (var t in schema.Traits)
            text.Append("trait ").Append(t.Name).Append(' ').Append(t.Model).Append(' ').Append(t.Kind).Append(' ').AppendJoin('.', t.Path)
                .Append(' ').Append(t.Column).Append(' ').AppendJoin(',', t.EventNames).Append(' ').Append(t.Window)
                .Append(' ').Append(t.Where is null ? "" : CanonicalJson.Of(t.Where)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static HashSet<string> ReferencedAudiences(Condition condition, IReadOnlyDictionary<string, AudienceDefinition> audiences)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Condition>([condition]);
        while (pending.TryPop(out var c))
        {
            switch (c)
            {
                case AllCondition all: foreach (var x in all.Conditions) pending.Push(x); break;
                case AnyCondition any: foreach (var x in any.Conditions) pending.Push(x); break;
                case NotCondition not: pending.Push(not.Inner); break;
                case AudienceCondition a when found.Add(a.Audience) && audiences.TryGetValue(a.Audience, out var other):
                    if (other.Condition is not null) pending.Push(other.Condition);
                    foreach (var x in other.Exclusions) pending.Push(new AudienceCondition(x, true));
                    break;
            }
        }
        return found;
    }
}
