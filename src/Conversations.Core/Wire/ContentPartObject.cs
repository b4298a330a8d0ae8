using System.Text.Json.Serialization;

namespace Conversations.Core.Wire;

/// <summary>One part of a message's content, keyed by <c>type</c> as in OpenAI's items.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(InputTextPartObject), "input_text")]
[JsonDerivedType(typeof(OutputTextPartObject), "output_text")]
[JsonDerivedType(typeof(InputImagePartObject), "input_image")]
[JsonDerivedType(typeof(InputFilePartObject), "input_file")]
[JsonDerivedType(typeof(RefusalPartObject), "refusal")]
public abstract record ContentPartObject;
