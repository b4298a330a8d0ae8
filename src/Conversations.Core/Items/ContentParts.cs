using System.Collections.Immutable;

namespace Conversations.Core.Items;

/// <summary>Reading a message's content parts.</summary>
public static class ContentParts
{
    /// <summary>The text parts (input or output), joined; refusals, images and files are not text.</summary>
    public static string Text(ImmutableArray<ContentPart> parts)
    {
        if (parts.Length == 1)
        {
            return parts[0] switch
            {
                ContentPart.InputText input => input.Text,
                ContentPart.OutputText output => output.Text,
                _ => "",
            };
        }

        var text = new System.Text.StringBuilder();
        foreach (var part in parts)
        {
            switch (part)
            {
                case ContentPart.InputText input:
                    text.Append(input.Text);
                    break;
                case ContentPart.OutputText output:
                    text.Append(output.Text);
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>True when the content is one text part: a message the store keeps as plain text.</summary>
    public static bool IsPlainText(ImmutableArray<ContentPart> parts) =>
        parts is [ContentPart.InputText] || parts is [ContentPart.OutputText { AnnotationsJson: ContentPart.OutputText.NoneJson, LogprobsJson: ContentPart.OutputText.NoneJson }];
}
