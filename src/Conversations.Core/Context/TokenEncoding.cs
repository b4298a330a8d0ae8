namespace Conversations.Core.Context;

/// <summary>The byte-pair encodings OpenAI's chat models read text in; a model's family decides which (see <see cref="TokenEncodings.For"/>).</summary>
[GenerateSerializer]
public enum TokenEncoding
{
    /// <summary><c>o200k_base</c>: GPT-4o, GPT-4.1, GPT-4.5, GPT-5 and the o-series.</summary>
    O200kBase,

    /// <summary><c>cl100k_base</c>: GPT-4 and GPT-3.5.</summary>
    Cl100kBase,
}
