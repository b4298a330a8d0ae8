using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Conversations.ApiHost.Tests.WebConsole;

/// <summary>
/// Debian's headless Chromium, driven through its chromedriver, on one console. Every wait is a condition
/// polled until a generous deadline (a loaded two-core machine can take seconds to render), never a sleep.
/// </summary>
public sealed class Browser : IDisposable
{
    /// <summary>How long a condition may take to hold before the test fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private const string ChromiumPath = "/usr/bin/chromium";
    private const string ChromedriverPath = "/usr/bin/chromedriver";
    private const string ScreenshotsSetting = "CONSOLE_SCREENSHOTS";

    private readonly ChromeDriver _driver;

    private Browser(ChromeDriver driver, Uri address, string downloads)
    {
        _driver = driver;
        Address = address;
        Downloads = downloads;
    }

    public Uri Address { get; }

    /// <summary>Where the browser saves what the console hands it to download (an export).</summary>
    public string Downloads { get; }

    public IWebDriver Driver => _driver;

    /// <summary>
    /// Where screenshots go: <c>CONSOLE_SCREENSHOTS</c> (the README's are refreshed with
    /// <c>CONSOLE_SCREENSHOTS=$PWD/docs/screenshots</c>), else a folder beside the test assembly.
    /// </summary>
    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable(ScreenshotsSetting) is { Length: > 0 } folder
            ? folder
            : Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    public static Browser Start(Uri address)
    {
        foreach (var binary in new[] { ChromiumPath, ChromedriverPath })
        {
            if (!File.Exists(binary))
            {
                throw new InvalidOperationException(
                    $"{binary} is missing: the console's browser tests need Debian's chromium and chromium-driver. Run ./test.sh as root once (it installs them), or apt-get install chromium chromium-driver.");
            }
        }

        var downloads = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "conversations-console-downloads", Guid.NewGuid().ToString("N"))).FullName;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddUserProfilePreference("download.default_directory", downloads);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
            "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-sync");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromedriverPath)!, Path.GetFileName(ChromedriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        return new Browser(driver, address, downloads);
    }

    /// <summary>The console, signed out, in a single fresh tab at <paramref name="width"/> × <paramref name="height"/>.</summary>
    public void OpenSignedOut(int width = 1280, int height = 900)
    {
        var first = _driver.WindowHandles[0];
        foreach (var handle in _driver.WindowHandles.Skip(1))
        {
            _driver.SwitchTo().Window(handle).Close();
        }

        _driver.SwitchTo().Window(first);
        _driver.Manage().Window.Size = new System.Drawing.Size(width, height);
        _driver.Navigate().GoToUrl(Address);
        _driver.ExecuteScript("sessionStorage.clear();");
        _driver.Navigate().Refresh();
        Until(d => d.FindElement(By.Id("sign-in")).Displayed, "the sign-in form to show");
    }

    /// <summary>Signs in from the sign-in form, with the keyboard: the key, then Enter.</summary>
    public void SignIn(string key, string expectedView)
    {
        var input = Until(d => d.FindElement(By.Id("key-input")) is { Displayed: true } shown ? shown : null, "the key field to show");
        input.Clear();
        input.SendKeys(key + Keys.Enter);
        Until(d => d.FindElement(By.Id(expectedView)).Displayed, $"#{expectedView} to show after signing in");
    }

    /// <summary>A second tab with its own session (sessionStorage is per tab), on the console; answers its handle.</summary>
    public string NewTab()
    {
        _driver.SwitchTo().NewWindow(WindowType.Tab);
        _driver.Navigate().GoToUrl(Address);
        Until(d => d.FindElement(By.Id("sign-in")).Displayed, "the sign-in form to show in the new tab");
        return _driver.CurrentWindowHandle;
    }

    /// <summary>Creates a conversation with the console's button and answers its id, once it is open.</summary>
    public string StartConversation()
    {
        Click("new-conversation");
        var created = Until(
            d => d.FindElements(By.CssSelector("#conversation-list li:has(> button[aria-current='true'])")).FirstOrDefault(),
            "the new conversation to open, marked in the list");
        Until(d => d.FindElement(By.Id("conversation")).Displayed, "the conversation to show");
        Assert.Equal("Untitled conversation", Id("conversation-title").Text);
        return created.GetDomAttribute("data-conversation-id")!;
    }

    public void SwitchTo(string handle) => _driver.SwitchTo().Window(handle);

    public IWebElement Id(string id) => _driver.FindElement(By.Id(id));

    public IWebElement Css(string selector) => _driver.FindElement(By.CssSelector(selector));

    public IReadOnlyList<IWebElement> All(string selector) => _driver.FindElements(By.CssSelector(selector));

    public void Click(string id) => Until(d => d.FindElement(By.Id(id)) is { Displayed: true, Enabled: true } button ? button : null, $"#{id} to be clickable").Click();

    /// <summary>The first element of <paramref name="selector"/> whose text contains <paramref name="text"/>, once there is one.</summary>
    public IWebElement WaitForText(string selector, string text) =>
        Until(d => d.FindElements(By.CssSelector(selector)).FirstOrDefault(e => e.Text.Contains(text, StringComparison.Ordinal)), $"'{text}' to show in {selector}");

    public object? Script(string script, params object[] arguments) => _driver.ExecuteScript(script, arguments);

    /// <summary>
    /// Polls <paramref name="condition"/> until it answers something other than null or false, for up to
    /// <see cref="Patience"/>; fails saying what did not happen and what the page showed.
    /// </summary>
    public T Until<T>(Func<IWebDriver, T?> condition, string what)
        where T : notnull
    {
        var wait = new WebDriverWait(_driver, Patience) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition)!;
        }
        catch (WebDriverTimeoutException)
        {
            string page;
            try
            {
                page = _driver.FindElement(By.TagName("body")).Text;
            }
            catch (WebDriverException exception)
            {
                page = $"(unreadable: {exception.Message})";
            }

            Assert.Fail($"Waited {Patience.TotalSeconds:0} s for {what}; the page shows:\n{page}");
            throw;
        }
    }

    public void Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        _driver.GetScreenshot().SaveAsFile(Path.Combine(ScreenshotFolder, name + ".png"));
    }

    public void Dispose()
    {
        _driver.Quit();
        Infrastructure.RunningApiHost.TryDelete(Downloads);
    }
}
