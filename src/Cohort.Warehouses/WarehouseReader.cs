using System.Collections.Immutable;
using System.Data.Common;
using Cohort.Warehouses.Internal;

namespace Cohort.Warehouses;

/// <summary>
/// A forward-only stream of normalised rows. It holds a connection until disposed; disposing before the
/// last row cancels the query instead of draining it.
/// </summary>
public sealed class WarehouseReader : IAsyncDisposable
{
    private readonly DbWarehouse _owner;
    private readonly DbConnection _connection;
    private readonly DbCommand _command;
    private readonly DbDataReader _reader;
    private readonly ColumnReader[] _columns;
    private object?[]? _current;
    private bool _finished;
    private bool _disposed;

    internal WarehouseReader(DbWarehouse owner, DbConnection connection, DbCommand command, DbDataReader reader)
    {
        _owner = owner;
        _connection = connection;
        _command = command;
        _reader = reader;
        _columns = owner.CreateColumnReaders(reader);
        var names = ImmutableArray.CreateBuilder<string>(reader.FieldCount);
        for (var i = 0; i < reader.FieldCount; i++)
            names.Add(reader.GetName(i));
        ColumnNames = names.MoveToImmutable();
    }

    public ImmutableArray<string> ColumnNames { get; }

    /// <summary>The current row: a new array per row, so it may be kept.</summary>
    public object?[] Current => _current ?? throw new InvalidOperationException(WarehouseMessages.ReaderNotPositioned);

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _current = null;
        if (_finished)
            return false;

        var hasRow = await _owner.RunAsync(_command, cancellationToken, () => _reader.ReadAsync(cancellationToken)).ConfigureAwait(false);
        if (!hasRow)
        {
            _finished = true;
            return false;
        }

        var row = new object?[_columns.Length];
        for (var i = 0; i < row.Length; i++)
            row[i] = _owner.ReadColumn(_reader, i, _columns[i]);
        _current = row;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            if (!_finished)
            {
                // Without this, disposing would read (and discard) every remaining row of a large result.
                _command.Cancel();
            }
            await _reader.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception) when (!_finished)
        {
            // The cancellation we just asked for surfaces here as an error; nobody is waiting for the rows.
        }
        finally
        {
            await _command.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
