namespace Conversations.ApiHost.Tests.Responses;

/// <summary>One Responses stream event as it came over the wire: its <c>event:</c> name and its <c>data:</c> JSON.</summary>
public sealed record StreamedEvent(string Name, string Data)
{
    public JsonElement Json { get; } = JsonDocument.Parse(Data).RootElement.Clone();

    public string Type => Json.GetProperty("type").GetString()!;

    public int SequenceNumber => Json.GetProperty("sequence_number").GetInt32();

    public override string ToString() => $"{Name}: {Data}";
}
