using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Cohort.Server.Store;

/// <summary>
/// Keeps the ASP.NET Core Data Protection key ring in the metadata store, so every server sharing the store can
/// decrypt destination secrets and cookies written by the others.
/// </summary>
internal sealed class DataProtectionKeys(MetadataStore store) : IXmlRepository
{
    // IXmlRepository is synchronous by contract; the calls are rare (key ring load and rotation).
    public IReadOnlyCollection<XElement> GetAllElements() =>
        store.QueryAsync("SELECT xml FROM dataprotection_keys ORDER BY name", r => XElement.Parse(r.GetString(0)), CancellationToken.None)
            .GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) =>
        store.ExecuteAsync("INSERT INTO dataprotection_keys (name, xml) VALUES (@name, @xml)", CancellationToken.None,
            ("@name", friendlyName), ("@xml", element.ToString(SaveOptions.DisableFormatting))).GetAwaiter().GetResult();
}
