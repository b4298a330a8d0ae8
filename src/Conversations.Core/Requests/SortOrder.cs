namespace Conversations.Core.Requests;

[GenerateSerializer]
public enum SortOrder
{
    Ascending,
    Descending,
}
