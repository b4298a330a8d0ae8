using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Requests;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>
/// Stored answers to idempotent stateless requests: kept exactly, per user and key, until they expire,
/// then replaceable and purged.
/// </summary>
public abstract class IdempotencyStoreBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    private static readonly DateTimeOffset Now = Samples.Start.AddMinutes(10);

    [Fact]
    public async Task A_stored_answer_comes_back_with_every_field_as_it_was()
    {
        var record = Samples.Record(
            createdAt: Samples.Start,
            expiresAt: Samples.Start + IdempotencyKey.Window,
            headers: ImmutableSortedDictionary.CreateRange(
            [
                KeyValuePair.Create("x-request-id", "req_123"),
                KeyValuePair.Create("x-note", "Grüße, 日本語, emoji 🙂, quote \" and backslash \\"),
                KeyValuePair.Create("X-Mixed-Case", ""),
            ]),
            body: [0, 1, 2, 0, 0, 255, 254, 0x80, 0xC3, 0x28, 0]);
        record = record with { Response = record.Response with { Status = 201, ContentType = "application/json" } };

        await Store.Idempotency.PutAsync(record);

        Expect.SameRecord(record, await Store.Idempotency.GetAsync(record.UserId, record.Key, Now));
    }

    [Fact]
    public async Task A_megabyte_of_arbitrary_bytes_comes_back_byte_for_byte()
    {
        var body = new byte[1024 * 1024];
        new Random(20250304).NextBytes(body);
        // Every byte value, and runs of zeros at the start, middle and end, where a text column or a
        // C-string boundary would cut the body short.
        for (var i = 0; i < 256; i++)
        {
            body[i] = (byte)i;
        }

        body.AsSpan(0, 16).Clear();
        body.AsSpan(body.Length / 2, 64).Clear();
        body.AsSpan(body.Length - 8).Clear();
        var record = Samples.Record(body: body);

        await Store.Idempotency.PutAsync(record);

        Expect.SameRecord(record, await Store.Idempotency.GetAsync(record.UserId, record.Key, Now));
    }

    [Fact]
    public async Task An_empty_body_and_no_headers_come_back_empty()
    {
        var record = Samples.Record(headers: ImmutableSortedDictionary<string, string>.Empty, body: []);

        await Store.Idempotency.PutAsync(record);

        var stored = await Store.Idempotency.GetAsync(record.UserId, record.Key, Now);
        Expect.SameRecord(record, stored);
        Assert.Empty(stored!.Response.Body);
        Assert.Empty(stored.Response.Headers);
    }

    [Fact]
    public async Task An_unknown_key_has_no_record()
    {
        var record = Samples.Record();
        await Store.Idempotency.PutAsync(record);

        Assert.Null(await Store.Idempotency.GetAsync(record.UserId, "another-key", Now));
        Assert.Null(await Store.Idempotency.GetAsync(Samples.NewId("user"), record.Key, Now));
    }

    [Fact]
    public async Task A_record_is_found_until_its_expiry_and_not_from_then_on()
    {
        var record = Samples.Record(expiresAt: Now.AddHours(1));
        await Store.Idempotency.PutAsync(record);

        Expect.SameRecord(record, await Store.Idempotency.GetAsync(record.UserId, record.Key, record.ExpiresAt.AddTicks(-1)));
        Assert.Null(await Store.Idempotency.GetAsync(record.UserId, record.Key, record.ExpiresAt));
        Assert.Null(await Store.Idempotency.GetAsync(record.UserId, record.Key, record.ExpiresAt.AddDays(1)));
    }

    [Fact]
    public async Task Expiry_compares_instants_whatever_the_offset_of_now()
    {
        var record = Samples.Record(expiresAt: Now.AddHours(1));
        await Store.Idempotency.PutAsync(record);
        // The same instants as above, seen from UTC+05:00.
        var offset = TimeSpan.FromHours(5);

        Assert.NotNull(await Store.Idempotency.GetAsync(record.UserId, record.Key, record.ExpiresAt.AddTicks(-1).ToOffset(offset)));
        Assert.Null(await Store.Idempotency.GetAsync(record.UserId, record.Key, record.ExpiresAt.ToOffset(offset)));
    }

    [Fact]
    public async Task Putting_a_record_for_an_expired_key_replaces_the_old_one()
    {
        var first = Samples.Record(key: "charge-42", createdAt: Samples.Start, expiresAt: Samples.Start.AddHours(24));
        await Store.Idempotency.PutAsync(first);
        var later = Samples.Start.AddHours(30);
        var second = Samples.Record(
            userId: first.UserId,
            key: first.Key,
            createdAt: later,
            expiresAt: later.AddHours(24),
            headers: ImmutableSortedDictionary<string, string>.Empty,
            body: "{\"second\":true}"u8.ToArray());

        await Store.Idempotency.PutAsync(second);

        Expect.SameRecord(second, await Store.Idempotency.GetAsync(first.UserId, first.Key, later));
        // The first answer is gone, not just expired: even a clock before its expiry finds the second.
        Expect.SameRecord(second, await Store.Idempotency.GetAsync(first.UserId, first.Key, Samples.Start.AddHours(1)));
    }

    [Fact]
    public async Task The_same_key_from_two_users_is_two_records()
    {
        var ada = Samples.Record(key: "same-key", body: "ada's answer"u8.ToArray());
        var grace = Samples.Record(key: "same-key", body: "grace's answer"u8.ToArray());

        await Store.Idempotency.PutAsync(ada);
        await Store.Idempotency.PutAsync(grace);

        Expect.SameRecord(ada, await Store.Idempotency.GetAsync(ada.UserId, "same-key", Now));
        Expect.SameRecord(grace, await Store.Idempotency.GetAsync(grace.UserId, "same-key", Now));
    }

    [Fact]
    public async Task A_purge_deletes_expired_records_counts_them_and_keeps_the_rest()
    {
        var purgeAt = Samples.Start.AddDays(2);
        var expired = new[]
        {
            Samples.Record(expiresAt: purgeAt.AddDays(-1)),
            Samples.Record(expiresAt: purgeAt.AddTicks(-1)),
            Samples.Record(expiresAt: purgeAt),
        };
        var live = new[]
        {
            Samples.Record(expiresAt: purgeAt.AddTicks(1)),
            Samples.Record(expiresAt: purgeAt.AddDays(1)),
        };
        foreach (var record in expired.Concat(live))
        {
            await Store.Idempotency.PutAsync(record);
        }

        Assert.Equal(expired.Length, await Store.Idempotency.PurgeExpiredAsync(purgeAt));

        // Read with a clock from before any expiry, so only deleted records can be missing.
        foreach (var record in expired)
        {
            Assert.Null(await Store.Idempotency.GetAsync(record.UserId, record.Key, Samples.Start));
        }

        foreach (var record in live)
        {
            Expect.SameRecord(record, await Store.Idempotency.GetAsync(record.UserId, record.Key, Samples.Start));
        }

        Assert.Equal(0, await Store.Idempotency.PurgeExpiredAsync(purgeAt));
    }

    [Fact]
    public async Task A_purge_counts_expired_records_and_old_turn_keys_together()
    {
        var purgeAt = Samples.Start.AddDays(2);
        await Store.Idempotency.PutAsync(Samples.Record(expiresAt: purgeAt.AddHours(-1)));
        await Store.Idempotency.PutAsync(Samples.Record(expiresAt: purgeAt.AddHours(1)));
        var conversation = Samples.Conversation();
        await Store.Conversations.CreateAsync(conversation, []);
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.KeyedTurn(conversation, 1, "old", purgeAt - IdempotencyKey.Window - TimeSpan.FromHours(1))));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.KeyedTurn(conversation, 3, "older", purgeAt - IdempotencyKey.Window - TimeSpan.FromHours(2))));
        await Expect.Appended(Store.Conversations.AppendTurnAsync(Samples.KeyedTurn(conversation, 5, "young", purgeAt.AddHours(-1))));

        Assert.Equal(3, await Store.Idempotency.PurgeExpiredAsync(purgeAt));
    }

    [Fact]
    public async Task A_record_put_through_one_process_is_found_through_another()
    {
        await using var otherSilo = await OpenAsync();
        var record = Samples.Record();

        await Store.Idempotency.PutAsync(record);

        Expect.SameRecord(record, await otherSilo.Idempotency.GetAsync(record.UserId, record.Key, Now));
    }
}
