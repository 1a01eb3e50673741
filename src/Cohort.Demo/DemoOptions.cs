using System.Globalization;

namespace Cohort.Demo;

/// <summary>
/// What the demo generator produces: how many customers, the seed of every random choice, and the anchor instant
/// every timestamp is relative to. The same options always produce the same rows, on every engine.
/// </summary>
public sealed record DemoOptions
{
    public const int DefaultCustomers = 10_000;
    public const int MinCustomers = 100;
    public const int MaxCustomers = 10_000_000;
    public const long DefaultSeed = 42;

    /// <summary>Customers to generate (persons who are not customers, ~30% more, come on top).</summary>
    public int Customers { get; init; } = DefaultCustomers;

    public long Seed { get; init; } = DefaultSeed;

    /// <summary>
    /// The UTC instant the data is generated "as of": signups, orders and events all lie before it, the newest
    /// within minutes of it. Whole seconds (sub-second parts are dropped).
    /// </summary>
    public required DateTime AnchorUtc
    {
        get => _anchor;
        init
        {
            if (value.Kind != DateTimeKind.Utc)
                throw new ArgumentException("The anchor must be a UTC instant (DateTimeKind.Utc).", nameof(AnchorUtc));
            _anchor = new DateTime(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        }
    }

    private readonly DateTime _anchor;

    /// <summary>Options anchored at the clock's current instant (whole seconds).</summary>
    public static DemoOptions Now(TimeProvider clock, int customers = DefaultCustomers, long seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new DemoOptions { AnchorUtc = clock.GetUtcNow().UtcDateTime, Customers = customers, Seed = seed };
    }

    /// <summary>Prospects: people in the identity sources who never became customers.</summary>
    public int Prospects => (int)Math.Ceiling(Customers * 0.3);

    public int People => Customers + Prospects;

    /// <summary>Catalogue size: 500 products up to 100k customers, then one per 200 customers, at most 20,000.</summary>
    public int Products => Math.Clamp(Customers / 200, 500, 20_000);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is outside what the generator supports.</summary>
    public void Validate()
    {
        if (Customers is < MinCustomers or > MaxCustomers)
            throw new ArgumentOutOfRangeException(nameof(Customers), Customers,
                $"The demo has between {MinCustomers:N0} and {MaxCustomers:N0} customers.");
        if (Seed < 0)
            throw new ArgumentOutOfRangeException(nameof(Seed), Seed, "The seed must not be negative.");
        if (AnchorUtc.Year is < 1990 or > 9000)
            throw new ArgumentOutOfRangeException(nameof(AnchorUtc), AnchorUtc, "The anchor must lie between 1990 and 9000.");
    }

    /// <summary>Parses a scale such as <c>2000</c>, <c>10k</c>, <c>1.5m</c> or <c>1_000_000</c>.</summary>
    public static bool TryParseScale(string? text, out int customers)
    {
        customers = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim().Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).ToLowerInvariant();
        var multiplier = 1m;
        if (t.EndsWith('k')) (multiplier, t) = (1_000m, t[..^1]);
        else if (t.EndsWith('m')) (multiplier, t) = (1_000_000m, t[..^1]);
        if (!decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
        var total = value * multiplier;
        if (total != decimal.Truncate(total) || total > int.MaxValue) return false;
        customers = (int)total;
        return true;
    }
}
