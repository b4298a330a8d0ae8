using Conversations.ApiHost.Tests.Infrastructure;
using OpenQA.Selenium;

namespace Conversations.ApiHost.Tests.WebConsole;

/// <summary>The admin key in a real browser: a user, a key handed out once, and that key revoked while in use.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminConsoleTests(ConsoleHostFixture fixture)
{
    private readonly Browser _browser = fixture.Browser;

    [Fact]
    public void The_admin_creates_a_user_and_issues_a_key_that_works_until_it_is_revoked()
    {
        _browser.OpenSignedOut();
        _browser.SignIn(TestKeys.Admin, "admin-view");
        var name = $"carol-{Guid.NewGuid():N}"[..14];

        _browser.Id("user-name").SendKeys(name);
        _browser.Id("limit-rpm").SendKeys("30");
        _browser.Id("limit-streams").SendKeys("2" + Keys.Enter);
        var row = _browser.WaitForText("#users tr", name);
        Assert.Contains("30", row.Text);
        Assert.Contains("default", row.Text);
        row.FindElement(By.XPath(".//button[text()='Issue key']")).Click();

        var issued = _browser.Until(d => d.FindElement(By.Id("issued-key")) is { Displayed: true } field && field.GetDomProperty("value") is { Length: > 0 } value ? value : null, "the new key to show");
        Assert.StartsWith("sk-conv-", issued);
        Assert.Contains("you will not see this again", _browser.Id("issued").Text);
        Assert.True(_browser.Id("copy-key").Displayed);
        var keyRow = _browser.WaitForText("#key-rows tr", "Active");
        Assert.Contains(issued[..16], keyRow.Text);
        Assert.DoesNotContain(issued, _browser.Id("key-rows").Text);
        _browser.Screenshot("admin");
        _browser.Click("issued-done");
        Assert.False(_browser.Id("issued").Displayed);
        Assert.Equal("", _browser.Id("issued-key").GetDomProperty("value"));
        var adminTab = _browser.Driver.CurrentWindowHandle;

        // The user signs in with it in a tab of their own (a tab's session is its own).
        var userTab = _browser.NewTab();
        _browser.SignIn(issued, "user-view");
        _browser.StartConversation();

        _browser.SwitchTo(adminTab);
        _browser.Css("#key-rows tr[data-revoked='false'] button").Click();
        _browser.WaitForText("#key-rows tr", "Revoked");

        _browser.SwitchTo(userTab);
        _browser.Click("new-conversation");
        var said = _browser.Until(d => d.FindElement(By.Id("sign-in")).Displayed ? d.FindElement(By.Id("sign-in-error")).Text : null, "the console to end the revoked key's session");
        Assert.Equal("Key revoked or invalid — sign in again.", said);
        Assert.False(_browser.Id("user-view").Displayed);
        Assert.Null(_browser.Script("return sessionStorage.getItem('conversations.key');"));
    }

    [Fact]
    public void A_key_that_never_existed_is_refused_at_sign_in_in_words()
    {
        _browser.OpenSignedOut();

        _browser.Id("key-input").SendKeys("sk-conv-not-a-real-key-000000000000000000" + Keys.Enter);

        var said = _browser.Until(d => d.FindElement(By.Id("sign-in-error")).Text is { Length: > 0 } text ? text : null, "the refusal to show");
        Assert.Contains("not valid", said);
        Assert.False(_browser.Id("user-view").Displayed);
        Assert.False(_browser.Id("admin-view").Displayed);
    }
}
