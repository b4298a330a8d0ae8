using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace Conversations.ApiHost.Tests.WebConsole;

/// <summary>A person with a user's key, in a real browser: conversations, a reply streaming in, stopping one, renaming, deleting, exporting.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ChattingTests(ConsoleHostFixture fixture)
{
    private readonly Browser _browser = fixture.Browser;

    [Fact]
    public void A_user_signs_in_starts_a_conversation_watches_the_reply_stream_in_and_finds_it_again_after_a_reload()
    {
        _browser.OpenSignedOut();
        _browser.Screenshot("sign-in");
        _browser.SignIn(TestKeys.DefaultUser, "user-view");
        var conversation = _browser.StartConversation();

        var usageBefore = _browser.Until(d => d.FindElement(By.Id("usage")).Text is { Length: > 0 } text ? text : null, "the usage to show");
        var held = new HeldStream();
        fixture.Upstream.Enqueue(held.Reply("Once upon a time", " there was a console that streamed."));
        var message = _browser.Id("message");
        message.SendKeys("Tell me");
        new Actions(_browser.Driver).KeyDown(Keys.Shift).SendKeys(Keys.Enter).KeyUp(Keys.Shift).Perform();
        message.SendKeys("a story");
        // Shift+Enter is a new line, not a send.
        Assert.Equal("Tell me\na story", message.GetDomProperty("value"));
        Assert.Empty(_browser.All("#items li"));

        message.SendKeys(Keys.Enter);

        // The first words are on the page while the rest of the reply has not been sent yet.
        var streaming = _browser.WaitForText("#items li.streaming", "Once upon a time");
        Assert.DoesNotContain("console that streamed", streaming.Text);
        Assert.True(_browser.Id("stop").Enabled);
        Assert.False(_browser.Id("send").Enabled);
        held.Release();
        _browser.WaitForText("#items li[data-item-id].role-assistant", "Once upon a time there was a console that streamed.");
        Assert.True(_browser.Id("send").Enabled);
        _browser.Until(d => d.FindElement(By.Id("limits")).Text.Contains("Requests per minute", StringComparison.Ordinal), "the limits to show after the first message");
        _browser.Until(d => d.FindElement(By.Id("usage")).Text != usageBefore, "the usage to count the turn");
        _browser.Screenshot("conversation");

        _browser.Driver.Navigate().Refresh();
        _browser.Until(d => d.FindElement(By.Id("user-view")).Displayed, "the user's view to show again after a reload");
        _browser.Until(d => d.FindElement(By.CssSelector($"li[data-conversation-id='{conversation}'] button")), "the conversation in the list").Click();

        _browser.WaitForText("#items li[data-item-id].role-user", "Tell me\na story");
        _browser.WaitForText("#items li[data-item-id].role-assistant", "Once upon a time there was a console that streamed.");
        Assert.Equal(2, _browser.All("#items li").Count);
    }

    [Fact]
    public void Stop_ends_a_slow_reply_and_the_reply_the_service_kept_shows_as_incomplete()
    {
        _browser.OpenSignedOut();
        _browser.SignIn(TestKeys.DefaultUser, "user-view");
        _browser.StartConversation();
        fixture.Upstream.Enqueue(FakeResponse.StallMidStream(piecesBefore: 2));

        _browser.Id("message").SendKeys("Go on" + Keys.Enter);
        _browser.WaitForText("#items li.streaming", "One two");
        _browser.Click("stop");

        // Reloaded from the service: it has ids, and the service's status.
        var kept = _browser.Until(
            d => d.FindElements(By.CssSelector("#items li[data-item-id][data-status='incomplete']")).FirstOrDefault(),
            "the stored reply to show as incomplete");
        Assert.Contains("One two", kept.Text);
        Assert.Contains("Incomplete", kept.Text);
        _browser.WaitForText("#items li[data-item-id].role-user", "Go on");
        Assert.True(_browser.Id("send").Enabled);
        Assert.False(_browser.Id("stop").Enabled);
    }

    [Fact]
    public void A_conversation_is_renamed_and_deleted()
    {
        _browser.OpenSignedOut();
        _browser.SignIn(TestKeys.DefaultUser, "user-view");
        var conversation = _browser.StartConversation();

        _browser.Click("rename");
        var title = _browser.Id("rename-input");
        title.SendKeys("Holiday plans" + Keys.Enter);

        _browser.WaitForText("#conversation-title", "Holiday plans");
        _browser.WaitForText($"li[data-conversation-id='{conversation}']", "Holiday plans");
        _browser.Driver.Navigate().Refresh();
        _browser.WaitForText($"li[data-conversation-id='{conversation}']", "Holiday plans");
        _browser.Css($"li[data-conversation-id='{conversation}'] button").Click();
        _browser.WaitForText("#conversation-title", "Holiday plans");

        _browser.Click("delete");
        _browser.Click("delete-yes");

        _browser.Until(d => d.FindElements(By.CssSelector($"li[data-conversation-id='{conversation}']")).Count == 0, "the conversation to leave the list");
        Assert.False(_browser.Id("conversation").Displayed);
        _browser.Driver.Navigate().Refresh();
        _browser.Until(d => d.FindElement(By.Id("user-view")).Displayed, "the user's view after a reload");
        _browser.Until(d => d.FindElement(By.Id("conversation-list")).Displayed, "the list");
        Assert.Empty(_browser.All($"li[data-conversation-id='{conversation}']"));
    }

    [Fact]
    public void Export_downloads_the_transcript_through_the_export_route()
    {
        _browser.OpenSignedOut();
        _browser.SignIn(TestKeys.DefaultUser, "user-view");
        var conversation = _browser.StartConversation();
        _browser.Id("message").SendKeys("Say exported words" + Keys.Enter);
        _browser.WaitForText("#items li[data-item-id].role-assistant", "Exported words");

        _browser.Click("export-markdown");

        var file = Path.Combine(_browser.Downloads, $"{conversation}.md");
        var transcript = _browser.Until(_ => File.Exists(file) ? File.ReadAllText(file) : null, $"{file} to be downloaded");
        Assert.StartsWith("# Conversation " + conversation, transcript);
        Assert.Contains("## User\n\nSay exported words\n", transcript);
        Assert.Contains("## Assistant\n\nExported words\n", transcript);
    }
}
