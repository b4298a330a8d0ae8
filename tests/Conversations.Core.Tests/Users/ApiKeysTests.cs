using System.Security.Cryptography;
using System.Text;
using Conversations.Core.Users;

namespace Conversations.Core.Tests.Users;

public class ApiKeysTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("service-wide secret for tests");
    private static readonly byte[] Random24 = [.. Enumerable.Range(0, 24).Select(i => (byte)(i * 11))];

    private static bool IsLowerHex(string text) => text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    [Theory]
    [InlineData(ApiKeys.UserKeyPrefix)]
    [InlineData(ApiKeys.AdminKeyPrefix)]
    public void A_key_is_its_prefix_and_48_lowercase_hex_digits_of_the_random_bytes(string prefix)
    {
        var key = ApiKeys.Format(prefix, Random24);

        Assert.StartsWith(prefix, key);
        var secretPart = key[prefix.Length..];
        Assert.Equal(48, secretPart.Length);
        Assert.True(IsLowerHex(secretPart), secretPart);
        Assert.Equal(Convert.FromHexString(secretPart), Random24);
    }

    [Fact]
    public void User_and_admin_keys_are_told_apart_by_prefix()
    {
        Assert.Equal("sk-conv-", ApiKeys.UserKeyPrefix);
        Assert.Equal("sk-admin-", ApiKeys.AdminKeyPrefix);
        Assert.False(ApiKeys.Format(ApiKeys.AdminKeyPrefix, Random24).StartsWith(ApiKeys.UserKeyPrefix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(23)]
    [InlineData(25)]
    public void A_key_needs_exactly_24_random_bytes(int length)
    {
        Assert.Throws<ArgumentException>(() => ApiKeys.Format(ApiKeys.UserKeyPrefix, new byte[length]));
    }

    [Fact]
    public void The_visible_prefix_is_the_first_16_characters()
    {
        var key = ApiKeys.Format(ApiKeys.UserKeyPrefix, Random24);

        var visible = ApiKeys.VisiblePrefix(key);

        Assert.Equal(16, visible.Length);
        Assert.Equal(key[..16], visible);
    }

    [Fact]
    public void The_visible_prefix_shows_too_little_to_use_the_key()
    {
        var key = ApiKeys.Format(ApiKeys.UserKeyPrefix, Random24);

        // 8 hex digits (32 bits) of the 192 random bits are shown; 160 stay secret.
        var shownHex = ApiKeys.VisiblePrefix(key).Length - ApiKeys.UserKeyPrefix.Length;
        Assert.Equal(8, shownHex);
        Assert.True(key.Length - ApiKeys.VisiblePrefix(key).Length >= 40);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-conv-")]
    [InlineData("0123456789abcdef")]
    public void A_key_no_longer_than_the_prefix_length_is_shown_whole(string key)
    {
        Assert.Equal(key, ApiKeys.VisiblePrefix(key));
    }

    [Fact]
    public void The_hash_is_hmac_sha256_of_the_key_in_lowercase_hex()
    {
        // RFC 4231, test case 2.
        var hash = ApiKeys.Hash("Jefe"u8, "what do ya want for nothing?");

        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", hash);
    }

    [Fact]
    public void The_same_key_under_the_same_secret_hashes_the_same_every_time()
    {
        var key = ApiKeys.Format(ApiKeys.UserKeyPrefix, Random24);

        Assert.Equal(ApiKeys.Hash(Secret, key), ApiKeys.Hash(Secret.ToArray(), new string(key.AsSpan())));
    }

    [Fact]
    public void A_different_secret_gives_a_different_hash()
    {
        var key = ApiKeys.Format(ApiKeys.UserKeyPrefix, Random24);

        Assert.NotEqual(ApiKeys.Hash(Secret, key), ApiKeys.Hash("another secret"u8, key));
    }

    [Fact]
    public void Keys_differing_in_one_character_hash_differently()
    {
        var key = ApiKeys.Format(ApiKeys.UserKeyPrefix, Random24);
        var other = key[..^1] + (key[^1] == '0' ? '1' : '0');

        Assert.NotEqual(ApiKeys.Hash(Secret, key), ApiKeys.Hash(Secret, other));
    }

    [Fact]
    public void The_hash_does_not_contain_the_key()
    {
        var key = ApiKeys.Format(ApiKeys.UserKeyPrefix, Random24);

        var hash = ApiKeys.Hash(Secret, key);

        Assert.Equal(64, hash.Length);
        Assert.True(IsLowerHex(hash), hash);
        Assert.DoesNotContain(key[ApiKeys.UserKeyPrefix.Length..][..16], hash);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(10_000)]
    public void Long_presented_keys_are_hashed_in_full(int length)
    {
        var key = new string('k', length - 1) + "é";

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes(key)));

        Assert.Equal(expected, ApiKeys.Hash(Secret, key));
        Assert.NotEqual(ApiKeys.Hash(Secret, key), ApiKeys.Hash(Secret, key[..^1] + "e"));
    }

    [Fact]
    public void Equal_hashes_are_the_same_hash()
    {
        var key = ApiKeys.Format(ApiKeys.UserKeyPrefix, Random24);

        Assert.True(ApiKeys.SameHash(ApiKeys.Hash(Secret, key), ApiKeys.Hash(Secret, key)));
    }

    [Theory]
    [InlineData("abc0", "abc1")]
    [InlineData("0bc", "1bc")]
    [InlineData("abc", "abcd")]
    [InlineData("", "a")]
    [InlineData("ABC", "abc")]
    [InlineData("é", "ü")]
    [InlineData("a€", "a¥")]
    public void Different_strings_are_not_the_same_hash(string a, string b)
    {
        Assert.False(ApiKeys.SameHash(a, b));
        Assert.False(ApiKeys.SameHash(b, a));
    }
}
