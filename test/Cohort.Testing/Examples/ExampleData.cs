using Cohort.Testing.Reference;
using Row = System.Collections.Generic.IReadOnlyDictionary<string, object?>;

namespace Cohort.Testing.Examples;

/// <summary>Short constructors for rows of <see cref="Differential.TestSchema"/>; timestamps are ISO 8601 text.</summary>
public static class ExampleData
{
    public static Row Person(long id, params (string Column, object? Value)[] columns) =>
        ReferenceDataset.Row([("person_id", id), .. columns]);

    public static Row Ev(long person, string name, string ts, decimal? amount = null, string? channel = null) =>
        ReferenceDataset.Row(("person_id", person), ("event", name), ("ts", Ast.Utc(ts)), ("amount", amount), ("channel", channel));

    /// <summary>An event row whose timestamp is NULL.</summary>
    public static Row EvNoTime(long person, string name) =>
        ReferenceDataset.Row(("person_id", person), ("event", name), ("ts", null));

    public static Row Order(long id, long person, decimal? total = null, string? status = null, string? created = null) =>
        ReferenceDataset.Row(("order_id", id), ("person_id", person), ("total", total), ("status", status),
            ("created_at", created is null ? null : Ast.Utc(created)));

    public static Row Product(long id, string? category, decimal? price = null) =>
        ReferenceDataset.Row(("product_id", id), ("category", category), ("price", price));

    public static Row Item(long order, long product) => ReferenceDataset.Row(("order_id", order), ("product_id", product));

    public static Row Account(long id, string? plan = null, long? seats = null) =>
        ReferenceDataset.Row(("account_id", id), ("plan", plan), ("seats", seats));

    public static Row Signup(long person, string ts, string? source = null) =>
        ReferenceDataset.Row(("person_id", person), ("ts", Ast.Utc(ts)), ("source", source));

    public static ReferenceDataset People(params Row[] rows) => ReferenceDataset.Empty.With("people", rows);

    /// <summary>People 1..n with no columns set but the key.</summary>
    public static ReferenceDataset PeopleWithIds(int n) =>
        People([.. Enumerable.Range(1, n).Select(i => Person(i))]);

    public static ReferenceDataset Events(this ReferenceDataset data, params Row[] rows) => data.With("events", rows);

    public static ReferenceDataset Orders(this ReferenceDataset data, params Row[] rows) => data.With("orders", rows);

    public static ReferenceDataset Products(this ReferenceDataset data, params Row[] rows) => data.With("products", rows);

    public static ReferenceDataset Items(this ReferenceDataset data, params Row[] rows) => data.With("order_items", rows);

    public static ReferenceDataset Accounts(this ReferenceDataset data, params Row[] rows) => data.With("accounts", rows);

    public static ReferenceDataset Signups(this ReferenceDataset data, params Row[] rows) => data.With("signups", rows);

    /// <summary>A list value for an array column.</summary>
    public static IReadOnlyList<object?> List(params object?[] items) => items;
}
