using Conversations.Testing.Network;
using Npgsql;
using Xunit;

namespace Conversations.Testing.Databases;

/// <summary>
/// A real, throwaway PostgreSQL 15 cluster: <c>initdb</c> into a temp directory, <c>pg_ctl start</c> on a
/// free loopback port (its Unix socket inside the directory too), trust authentication for the
/// <c>postgres</c> superuser. Disposing stops it and deletes the directory.
/// <para>
/// PostgreSQL refuses to run as root, and CI runs as root: then the cluster belongs to the
/// <c>postgres</c> account (or <c>nobody</c> where there is none) and its programs run through
/// <c>runuser</c>. As an ordinary user they run directly.
/// </para>
/// <para>Durability is switched off (fsync, full-page writes): the cluster lives for one test run.</para>
/// <para>It takes 400 connections, not PostgreSQL's 100: each silo's pool may grow to Npgsql's 100 under load, and
/// a restarted silo needs its own while the other still holds its pool (the soak found it).</para>
/// Use as an xUnit fixture, or call <see cref="InitializeAsync"/> yourself.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime, IAsyncDisposable
{
    public const string Superuser = "postgres";

    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private string? root;
    private string? serverAccount;
    private string pgCtl = "";
    private bool running;
    private int databaseCount;

    /// <summary>The directory holding the cluster's files, its log and its socket; deleted on dispose.</summary>
    public string WorkingDirectory => Root;

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The maintenance database <c>postgres</c>, for creating others.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    private string DataDirectory => Path.Combine(Root, "data");

    private string LogFile => Path.Combine(Root, "server.log");

    private string Root => root ?? throw new InvalidOperationException("The server has not been started.");

    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        var initdb = ServerBinaries.Find("initdb", Path.Combine(BinDirectory, "initdb"));
        pgCtl = ServerBinaries.Find("pg_ctl", Path.Combine(BinDirectory, "pg_ctl"));

        serverAccount = Environment.IsPrivilegedProcess ? UnprivilegedAccount() : null;
        // Under root the server account must reach the directory, so it goes where everyone can
        // traverse; a private TMPDIR may not allow that.
        var parent = serverAccount is null ? Path.GetTempPath() : "/tmp";
        root = Path.Combine(parent, "conversations-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        if (serverAccount is not null)
        {
            await RequireAsync(ServerBinaries.Find("chown", "/usr/bin/chown", "/bin/chown"), [serverAccount, root], asServer: false);
        }

        await RequireAsync(initdb,
        [
            "-D", DataDirectory, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C",
            "--no-sync", "--no-instructions",
        ], asServer: true);

        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            var start = await PgCtlStartAsync();
            if (start.Succeeded)
            {
                running = true;
                return;
            }

            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "";
            // The free port can be taken between choosing and binding it; try another.
            if (attempt < 3 && log.Contains("could not bind", StringComparison.Ordinal))
            {
                continue;
            }

            throw new InvalidOperationException($"PostgreSQL did not start (pg_ctl exit {start.ExitCode}).\n{start.Output}\n{log}");
        }
    }

    /// <summary>
    /// Stops the server (as an outage would: open connections are cut, nothing is flushed), keeping its
    /// files, so that <see cref="StartAgainAsync"/> brings it back with its data on the same port.
    /// </summary>
    public async Task StopAsync()
    {
        if (!running)
        {
            return;
        }

        var stop = await RunAsync(pgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"], asServer: true);
        if (!stop.Succeeded)
        {
            throw new InvalidOperationException($"pg_ctl stop failed (exit {stop.ExitCode}):\n{stop.Output}");
        }

        running = false;
    }

    /// <summary>Starts a server stopped by <see cref="StopAsync"/> again, on its port, with its data (after crash recovery).</summary>
    public async Task StartAgainAsync()
    {
        if (running)
        {
            return;
        }

        var start = await PgCtlStartAsync();
        if (!start.Succeeded)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "";
            throw new InvalidOperationException($"PostgreSQL did not start again (pg_ctl exit {start.ExitCode}).\n{start.Output}\n{log}");
        }

        running = true;
    }

    /// <summary>A new, empty database on this server and the connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref databaseCount)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    public async Task DisposeAsync()
    {
        if (root is null)
        {
            return;
        }

        // Pooled client connections would only see the server vanish; drop them first.
        NpgsqlConnection.ClearAllPools();
        if (running)
        {
            await RunAsync(pgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"], asServer: true);
            running = false;
        }

        Directory.Delete(root, recursive: true);
        root = null;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private Task<ProcessRun> PgCtlStartAsync() => RunAsync(pgCtl,
        [
            "start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60",
            "-o", $"-p {Port} -k {Root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=400",
        ], asServer: true);

    private static string UnprivilegedAccount()
    {
        var accounts = File.ReadLines("/etc/passwd").Select(line => line.Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        return accounts.Contains("postgres") ? "postgres"
            : accounts.Contains("nobody") ? "nobody"
            : throw new InvalidOperationException(
                "PostgreSQL cannot run as root and there is neither a 'postgres' nor a 'nobody' account to run it as. " + ServerBinaries.InstallHint);
    }

    private async Task RequireAsync(string program, IReadOnlyList<string> arguments, bool asServer)
    {
        var run = await RunAsync(program, arguments, asServer);
        if (!run.Succeeded)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed (exit {run.ExitCode}):\n{run.Output}");
        }
    }

    private Task<ProcessRun> RunAsync(string program, IReadOnlyList<string> arguments, bool asServer) =>
        asServer && serverAccount is not null
            ? ProcessRun.RunAsync(ServerBinaries.Find("runuser", "/usr/sbin/runuser", "/sbin/runuser"), ["-u", serverAccount, "--", program, .. arguments], Root, CommandTimeout)
            : ProcessRun.RunAsync(program, arguments, Root, CommandTimeout);
}
