namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary><c>/metrics</c> as a scraper reads it: each sample's name, labels and value (Prometheus' text format).</summary>
public sealed class PrometheusSamples(string text, IReadOnlyList<PrometheusSample> samples)
{
    public string Text { get; } = text;

    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;

    public static async Task<PrometheusSamples> Scrape(HttpClient anonymous)
    {
        using var response = await anonymous.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {text}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new PrometheusSamples(text, [.. text.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(PrometheusSample.Parse)]);
    }

    /// <summary>The samples named <paramref name="name"/> carrying every one of <paramref name="labels"/> (and any others).</summary>
    public IEnumerable<PrometheusSample> Matching(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var value) && value == l.Value));

    /// <summary>The sum of the matching samples' values; null when there is none.</summary>
    public double? Sum(string name, params (string Label, string Value)[] labels)
    {
        var matching = Matching(name, labels).ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Value);
    }

    public override string ToString() => Text;
}
