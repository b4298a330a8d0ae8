using System.Security.Cryptography;
using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// Keys are kept only as keyed hashes: a copy of the database file holds no key, neither in any table
/// nor anywhere in its bytes.
/// </summary>
public sealed class KeyStorageTests
{
    [Fact]
    public async Task No_key_appears_in_any_value_of_any_table_or_in_the_files_and_the_stored_hashes_are_64_lowercase_hex()
    {
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            var issued = new List<TestUser>();
            await using (var host = await RunningApiHost.StartAsync(dataDirectory: data))
            {
                var admin = host.Client(TestKeys.Admin);
                for (var i = 0; i < 3; i++)
                {
                    issued.Add(await admin.NewUser($"stored-{i}"));
                }

                // A second key for one user, and one revoked key.
                var extra = await admin.IssueKey(issued[0].Id);
                issued.Add(issued[0] with { KeyId = extra.GetProperty("id").GetString()!, Key = extra.GetProperty("key").GetString()! });
                await admin.RevokeKey(issued[1].KeyId);
                foreach (var user in issued.Where(u => u.KeyId != issued[1].KeyId))
                {
                    var client = host.Client(user.Key);
                    await client.Turn(await client.CreateConversation(), "Say stored");
                }

                await host.Client().Turn(await host.Client().CreateConversation(), "Say default");

                // While the host runs, as a backup copy would see it.
                AssertNoKeyIn(SqliteFileScan.AllValues(Path.Combine(data, "conversations.db")), Keys(issued));
            }

            var values = SqliteFileScan.AllValues(Path.Combine(data, "conversations.db"));
            AssertNoKeyIn(values, Keys(issued));
            foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                foreach (var key in Keys(issued))
                {
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key)) < 0, $"{Path.GetFileName(file)} holds a key in its bytes");
                }
            }

            var db = Path.Combine(data, "conversations.db");
            var hashes = SqliteFileScan.Column(db, "SELECT hash FROM api_keys");
            Assert.Equal(issued.Count + 1, hashes.Count);
            var adminHash = Assert.Single(SqliteFileScan.Column(db, "SELECT value FROM service_values WHERE name = 'admin_key_hash'"));
            Assert.All(hashes.Append(adminHash), hash => Assert.Matches("^[0-9a-f]{64}$", hash));
            Assert.Equal(hashes.Count + 1, hashes.Append(adminHash).Distinct().Count());
            // Keyed: not the plain SHA-256 of any key, which anyone could compute from a guessed key.
            foreach (var key in Keys(issued))
            {
                Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), hashes.Append(adminHash));
            }

            // The visible prefix is all that is kept of a key's text.
            var prefixes = SqliteFileScan.Column(db, "SELECT prefix FROM api_keys");
            Assert.All(issued, user => Assert.Contains(user.Key[..16], prefixes));
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task Keys_generated_on_first_start_are_printed_once_work_and_are_not_stored()
    {
        var data = RunningApiHost.NewDataDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["CONVERSATIONS_DATA_DIR"] = data,
            ["CONVERSATIONS_ADMIN_KEY"] = null,
            ["CONVERSATIONS_API_KEY"] = null,
        };
        try
        {
            string adminKey;
            string userKey;
            await using (var first = await ApiHostProcess.StartAsync(environment, data))
            {
                var output = await Eventually.Within(() => Task.FromResult(first.Output), o => o.Count(l => l.Contains("sk-", StringComparison.Ordinal)) >= 2, TimeSpan.FromSeconds(5));
                adminKey = Assert.Single(output, l => l.Trim().StartsWith("sk-admin-", StringComparison.Ordinal)).Trim();
                userKey = Assert.Single(output, l => l.Trim().StartsWith("sk-conv-", StringComparison.Ordinal)).Trim();
                Assert.Matches("^sk-admin-[0-9a-f]{48}$", adminKey);
                Assert.Matches("^sk-conv-[0-9a-f]{48}$", userKey);

                using var users = await first.Client(adminKey).GetAsync("/v1/admin/users");
                Assert.Equal(HttpStatusCode.OK, users.StatusCode);
                await first.Client(userKey).CreateConversation();
            }

            await using (var second = await ApiHostProcess.StartAsync(environment, data))
            {
                using var users = await second.Client(adminKey).GetAsync("/v1/admin/users");
                Assert.Equal(HttpStatusCode.OK, users.StatusCode);
                using var conversations = await second.Client(userKey).GetAsync("/v1/conversations");
                Assert.Equal(1, (await conversations.ReadJson()).GetProperty("data").GetArrayLength());
                // Nothing is generated or printed again.
                Assert.DoesNotContain(second.Output, l => l.Contains("sk-", StringComparison.Ordinal));
            }

            AssertNoKeyIn(SqliteFileScan.AllValues(Path.Combine(data, "conversations.db")), [adminKey, userKey]);
            foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(adminKey)) < 0, $"{Path.GetFileName(file)} holds the admin key");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(userKey)) < 0, $"{Path.GetFileName(file)} holds the default user's key");
            }
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    [Theory]
    [InlineData("correct-horse-battery-staple-pony")]
    [InlineData("an-operator-chosen-key-of-unusual-shape-0001")]
    public async Task A_configured_default_user_key_of_any_form_is_neither_stored_nor_listed(string configuredKey)
    {
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            await using (var host = await RunningApiHost.StartAsync(overrides: new Dictionary<string, string?> { ["CONVERSATIONS_API_KEY"] = configuredKey }, dataDirectory: data))
            {
                await host.Client(configuredKey).CreateConversation();
                using var listing = await host.Client(TestKeys.Admin).GetAsync("/v1/admin/users/user_default/keys");
                var text = await listing.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
                var prefix = Assert.Single(JsonDocument.Parse(text).RootElement.GetProperty("data").EnumerateArray()).GetProperty("prefix").GetString()!;
                // Telling keys apart must not give the key away: at most a quarter of it is shown.
                Assert.True(prefix.Length <= configuredKey.Length / 4, $"the listing shows '{prefix}' of the configured key");
                Assert.StartsWith(prefix, configuredKey, StringComparison.Ordinal);
                Assert.DoesNotContain(configuredKey, text, StringComparison.Ordinal);
            }

            var values = SqliteFileScan.AllValues(Path.Combine(data, "conversations.db"));
            Assert.DoesNotContain(values, v => v.Value.Contains(configuredKey, StringComparison.Ordinal) || (v.Value.Length > configuredKey.Length / 4 && configuredKey.StartsWith(v.Value, StringComparison.Ordinal)));
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    [Theory]
    [InlineData("CONVERSATIONS_API_KEY")]
    [InlineData("CONVERSATIONS_ADMIN_KEY")]
    public async Task A_configured_key_too_short_to_be_safe_stops_the_host_with_a_message_naming_the_setting(string setting)
    {
        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            RunningApiHost.StartAsync(overrides: new Dictionary<string, string?> { [setting] = "hunter2-hunter" }));

        Assert.Contains(setting, refused.Message);
        Assert.Contains("at least 32", refused.Message);
        Assert.DoesNotContain("hunter2-hunter", refused.Message);
    }

    private static List<string> Keys(IEnumerable<TestUser> issued) => [TestKeys.Admin, TestKeys.DefaultUser, .. issued.Select(u => u.Key)];

    private static void AssertNoKeyIn(List<(string Table, string Column, string Value)> values, IEnumerable<string> keys)
    {
        Assert.NotEmpty(values);
        foreach (var key in keys)
        {
            // The random part alone must not be there either (a key stored without its prefix is still the key).
            var secretPart = key[(key.IndexOf('-', 3) + 1)..];
            foreach (var (table, column, value) in values)
            {
                Assert.False(value.Contains(key, StringComparison.OrdinalIgnoreCase) || value.Contains(secretPart, StringComparison.OrdinalIgnoreCase),
                    $"{table}.{column} holds a key");
            }
        }
    }
}
