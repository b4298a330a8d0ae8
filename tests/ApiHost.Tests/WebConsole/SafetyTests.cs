using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using OpenQA.Selenium;

namespace Conversations.ApiHost.Tests.WebConsole;

/// <summary>What the console must never do: run what a model or a person wrote, leak a key, hide a refusal, or break on a phone.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SafetyTests(ConsoleHostFixture fixture)
{
    private const string Payload = """Look: <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=1</script> done""";

    private readonly Browser _browser = fixture.Browser;

    [Fact]
    public void Markup_in_a_reply_or_a_title_shows_as_text_and_runs_nothing()
    {
        _browser.OpenSignedOut();
        _browser.SignIn(TestKeys.DefaultUser, "user-view");
        _browser.StartConversation();
        fixture.Upstream.Enqueue(FakeResponse.StreamOf(Payload));

        _browser.Id("message").SendKeys("<b>bold?</b>" + Keys.Enter);

        var reply = _browser.WaitForText("#items li[data-item-id].role-assistant", "window.__pwned=1</script> done");
        Assert.Contains("""<img src=x onerror="window.__pwned=1">""", reply.Text);
        _browser.WaitForText("#items li[data-item-id].role-user", "<b>bold?</b>");
        Assert.Empty(_browser.All("#items img, #items script, #items b"));

        _browser.Click("rename");
        _browser.Id("rename-input").SendKeys(Payload + Keys.Enter);
        _browser.WaitForText("#conversation-title", "<script>window.__pwned=1</script>");
        _browser.WaitForText("#conversation-list", "<script>window.__pwned=1</script>");

        Assert.Equal("undefined", _browser.Script("return typeof window.__pwned;"));
        Assert.Empty(_browser.All("main img, main script"));
    }

    [Fact]
    public void The_key_travels_in_no_url_and_reaches_no_log()
    {
        _browser.OpenSignedOut();
        _browser.SignIn(TestKeys.DefaultUser, "user-view");
        _browser.StartConversation();
        _browser.Id("message").SendKeys("Say hello" + Keys.Enter);
        _browser.WaitForText("#items li[data-item-id].role-assistant", "Hello");

        var addresses = ((IEnumerable<object>)_browser.Script("return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);")!)
            .Select(a => (string)a).ToList();

        Assert.Contains(addresses, a => a.Contains("/v1/responses", StringComparison.Ordinal));
        Assert.DoesNotContain(addresses, a => a.Contains(TestKeys.DefaultUser, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Host.Logs.Lines, line => line.Contains(TestKeys.DefaultUser, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_is_shown_in_words_with_the_time_to_wait()
    {
        using var admin = fixture.Host.Client(TestKeys.Admin);
        var user = await admin.NewUser($"dave-{Guid.NewGuid():N}"[..13], """{"requests_per_minute":1}""");
        _browser.OpenSignedOut();
        _browser.SignIn(user.Key, "user-view");
        _browser.StartConversation();
        _browser.Id("message").SendKeys("Say one" + Keys.Enter);
        _browser.WaitForText("#items li[data-item-id].role-assistant", "One");

        _browser.Id("message").SendKeys("Say two" + Keys.Enter);

        var notice = _browser.Until(d => d.FindElement(By.Id("notice")) is { Displayed: true } shown ? shown.Text : null, "the refusal to show");
        Assert.Contains("Too many requests", notice);
        Assert.Matches(@"Try again in \d+ seconds?\.", notice);
        // Nothing was lost: the message waits in the box to be sent again.
        Assert.Equal("Say two", _browser.Id("message").GetDomProperty("value"));
        Assert.Equal(2, _browser.All("#items li").Count);
    }

    [Fact]
    public void On_a_390_pixel_wide_phone_nothing_is_wider_than_the_screen()
    {
        _browser.OpenSignedOut(width: 390, height: 844);
        _browser.SignIn(TestKeys.DefaultUser, "user-view");
        _browser.StartConversation();
        _browser.Id("message").SendKeys("Say " + string.Join(' ', Enumerable.Repeat("wordy", 40)) + " " + new string('x', 120) + Keys.Enter);
        _browser.WaitForText("#items li[data-item-id].role-assistant", "Wordy");
        _browser.Screenshot("phone");

        AssertFitsTheScreen("the conversation");

        _browser.Click("sign-out");
        _browser.SignIn(TestKeys.Admin, "admin-view");
        _browser.Until(d => d.FindElements(By.CssSelector("#users tr")).Count > 0, "the users to show");
        AssertFitsTheScreen("the admin view");
    }

    private void AssertFitsTheScreen(string what)
    {
        var (scrollWidth, viewport) = (Convert.ToInt64(_browser.Script("return document.documentElement.scrollWidth;")), Convert.ToInt64(_browser.Script("return window.innerWidth;")));
        Assert.True(scrollWidth <= viewport, $"{what} is {scrollWidth} px wide on a {viewport} px screen");
    }
}
