using Cohort.Warehouses.Postgres;

namespace Cohort.Warehouses.Tests;

public sealed class WarehouseErrorsTests
{
    [Theory]
    [InlineData("42601", WarehouseErrorKind.InvalidStatement)]
    [InlineData("42804", WarehouseErrorKind.InvalidStatement)]
    [InlineData("0A000", WarehouseErrorKind.InvalidStatement)]
    [InlineData("42P01", WarehouseErrorKind.UndefinedObject)]
    [InlineData("42703", WarehouseErrorKind.UndefinedObject)]
    [InlineData("3F000", WarehouseErrorKind.UndefinedObject)]
    [InlineData("42501", WarehouseErrorKind.Permission)]
    [InlineData("28P01", WarehouseErrorKind.Permission)]
    [InlineData("22P02", WarehouseErrorKind.InvalidData)]
    [InlineData("22012", WarehouseErrorKind.InvalidData)]
    [InlineData("23505", WarehouseErrorKind.Constraint)]
    [InlineData("40001", WarehouseErrorKind.Conflict)]
    [InlineData("40P01", WarehouseErrorKind.Conflict)]
    [InlineData("57014", WarehouseErrorKind.Timeout)]
    [InlineData("57P01", WarehouseErrorKind.Connection)]
    [InlineData("08006", WarehouseErrorKind.Connection)]
    [InlineData("53100", WarehouseErrorKind.Resource)]
    [InlineData("P0001", WarehouseErrorKind.Other)]
    [InlineData("XX000", WarehouseErrorKind.Other)]
    public void PostgreSQL_states_map_to_error_kinds(string sqlState, WarehouseErrorKind kind) =>
        Assert.Equal(kind, PostgresErrors.KindOf(sqlState));
}
