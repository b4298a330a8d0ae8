namespace Conversations.Core.Wire;

/// <summary>A file sent inline.</summary>
public sealed record InputFilePartObject(string FileData, string Filename) : ContentPartObject;
