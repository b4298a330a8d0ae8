using System.Security.Cryptography;
using Conversations.Core.Requests;

namespace Conversations.Grains;

/// <summary>The shell's source of fresh ids: 128 random bits behind a prefix.</summary>
public static class IdGenerator
{
    public static string New(string prefix)
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return Ids.Create(prefix, random);
    }
}
