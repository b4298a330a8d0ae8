namespace Conversations.Core.Wire;

/// <param name="ImageUrl">An <c>https:</c> address or a <c>data:</c> URL.</param>
/// <param name="Detail"><c>auto</c>, <c>low</c> or <c>high</c>.</param>
public sealed record InputImagePartObject(string ImageUrl, string Detail) : ContentPartObject;
