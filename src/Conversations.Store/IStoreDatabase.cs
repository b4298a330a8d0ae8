namespace Conversations.Store;

/// <summary>
/// The database behind the store ports. <see cref="InitializeAsync"/> creates or migrates the
/// schema; it may run any number of times and from several processes at once. Every store call also
/// waits for it, so nothing reads or writes before the schema exists.
/// </summary>
public interface IStoreDatabase
{
    Task InitializeAsync(CancellationToken cancellationToken = default);
}
