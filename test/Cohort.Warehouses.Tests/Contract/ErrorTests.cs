using Cohort.Sql;
using Cohort.Testing;

namespace Cohort.Warehouses.Tests.Contract;

public abstract partial class WarehouseContractTests
{
    [Fact]
    public async Task A_syntax_error_is_a_warehouse_exception_with_the_vendor_code()
    {
        var error = await Assert.ThrowsAsync<WarehouseException>(() => W.ScalarAsync("SELEC 1"));
        Assert.Equal(WarehouseErrorKind.InvalidStatement, error.Kind);
        Assert.Equal(Codes.Syntax, error.VendorCode);
        Assert.Equal(W.Dialect, error.Dialect);
        Assert.False(error.IsTransient);
        Assert.Contains("SELEC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_table_is_an_undefined_object()
    {
        var error = await Assert.ThrowsAsync<WarehouseException>(() => W.OpenReaderAsync(W.Sql("SELECT * FROM no_such_table")));
        Assert.Equal(WarehouseErrorKind.UndefinedObject, error.Kind);
        Assert.Equal(Codes.MissingTable, error.VendorCode);
        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_from_every_entry_point_are_translated()
    {
        await Assert.ThrowsAsync<WarehouseException>(() => W.ExecuteAsync("DELETE FROM no_such_table"));
        await Assert.ThrowsAsync<WarehouseException>(() => W.ExecuteScriptAsync("CREATE TABLE ok (a integer); SELEC 1"));
        await Assert.ThrowsAsync<WarehouseException>(() => W.BulkLoadAsync("no_such_table", ["a"], [[1]]));
        await Assert.ThrowsAsync<WarehouseException>(() => W.DescribeQueryAsync("SELECT nope"));
    }

    [Fact]
    public async Task A_data_error_keeps_the_offending_value_out_of_the_message()
    {
        var error = await Assert.ThrowsAsync<WarehouseException>(() =>
            W.ScalarAsync("SELECT CAST($1 AS integer)", (SqlParameterType.String, "secret-4111-1111")));
        Assert.Equal(WarehouseErrorKind.InvalidData, error.Kind);
        Assert.Equal(Codes.BadCast, error.VendorCode);
        Assert.DoesNotContain("secret", error.ToString(), StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task A_constraint_violation_keeps_the_key_out_of_the_message()
    {
        await W.ExecuteScriptAsync("CREATE TABLE users (email text PRIMARY KEY)");
        await W.ExecuteAsync("INSERT INTO users VALUES ($1)", (SqlParameterType.String, "jane@example.com"));
        var error = await Assert.ThrowsAsync<WarehouseException>(() =>
            W.ExecuteAsync("INSERT INTO users VALUES ($1)", (SqlParameterType.String, "jane@example.com")));
        Assert.Equal(WarehouseErrorKind.Constraint, error.Kind);
        Assert.Equal(Codes.Duplicate, error.VendorCode);
        Assert.DoesNotContain("jane", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_detail_can_be_switched_on()
    {
        await using var verbose = await OpenAsync(includeErrorDetail: true);
        var error = await Assert.ThrowsAsync<WarehouseException>(() =>
            verbose.ScalarAsync("SELECT CAST($1 AS integer)", (SqlParameterType.String, "visible-value")));
        Assert.Contains("visible-value", error.Message, StringComparison.Ordinal);

        await verbose.ExecuteScriptAsync("CREATE TABLE verbose_keys (email text PRIMARY KEY); INSERT INTO verbose_keys VALUES ('shown@example.com')");
        var duplicate = await Assert.ThrowsAsync<WarehouseException>(() =>
            verbose.ExecuteAsync("INSERT INTO verbose_keys VALUES ($1)", (SqlParameterType.String, "shown@example.com")));
        Assert.Contains("shown@example.com", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_warehouse_keeps_working_after_an_error()
    {
        await Assert.ThrowsAsync<WarehouseException>(() => W.ScalarAsync("SELEC 1"));
        AssertValue(1L, await W.ScalarAsync("SELECT 1"));
    }
}
