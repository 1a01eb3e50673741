using System.Globalization;
using Cohort.Warehouses;

namespace Cohort.Demo.Corrupted;

public static partial class CorruptedPeople
{
    /// <summary>The identity rules for this dataset (corrupted.identity.yaml): deterministic identifiers plus the probabilistic <c>matching:</c> part.</summary>
    public static string RulesYaml { get; } = ReadResource("Cohort.Demo.Corrupted.corrupted.identity.yaml");

    /// <summary>Names of the tables <see cref="WriteAsync"/> creates, in the warehouse's current schema.</summary>
    public static IReadOnlyList<string> Tables { get; } = [CorruptedSources.Crm, CorruptedSources.Web, CorruptedSources.Truth];

    // Portable DDL: the same text runs on DuckDB and PostgreSQL.
    private const string Ddl = """
        DROP TABLE IF EXISTS crm_people;
        DROP TABLE IF EXISTS web_signups;
        DROP TABLE IF EXISTS identity_truth;
        CREATE TABLE crm_people (person_ref BIGINT PRIMARY KEY, first_name VARCHAR, last_name VARCHAR, birth_date DATE,
            city VARCHAR, postcode VARCHAR, email VARCHAR, phone VARCHAR);
        CREATE TABLE web_signups (signup_id BIGINT PRIMARY KEY, given_name VARCHAR, family_name VARCHAR, dob VARCHAR,
            zip VARCHAR, email VARCHAR, phone VARCHAR);
        CREATE TABLE identity_truth (source VARCHAR, record_id BIGINT, person_id BIGINT)
        """;

    /// <summary>Replaces crm_people, web_signups and identity_truth in the warehouse's current schema with <paramref name="data"/>.</summary>
    public static async Task WriteAsync(IWarehouse warehouse, CorruptedDataset data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        ArgumentNullException.ThrowIfNull(data);
        await warehouse.ExecuteScriptAsync(Ddl, ct).ConfigureAwait(false);
        var crm = data.Records.Where(r => r.Source == CorruptedSources.Crm).OrderBy(r => r.RecordId);
        var web = data.Records.Where(r => r.Source == CorruptedSources.Web).OrderBy(r => r.RecordId);
        await warehouse.BulkLoadAsync(CorruptedSources.Crm,
            ["person_ref", "first_name", "last_name", "birth_date", "city", "postcode", "email", "phone"],
            crm.Select(r => new object?[] { r.RecordId, r.FirstName, r.LastName, r.BirthDate, r.City, r.Postcode, r.Email, r.Phone }),
            ct).ConfigureAwait(false);
        await warehouse.BulkLoadAsync(CorruptedSources.Web,
            ["signup_id", "given_name", "family_name", "dob", "zip", "email", "phone"],
            web.Select(r => new object?[] { r.RecordId, r.FirstName, r.LastName, r.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Postcode, r.Email, r.Phone }),
            ct).ConfigureAwait(false);
        await warehouse.BulkLoadAsync(CorruptedSources.Truth,
            ["source", "record_id", "person_id"],
            data.Records.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.RecordId).Select(r => new object?[] { r.Source, r.RecordId, r.PersonId }),
            ct).ConfigureAwait(false);
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(CorruptedPeople).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from {typeof(CorruptedPeople).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
