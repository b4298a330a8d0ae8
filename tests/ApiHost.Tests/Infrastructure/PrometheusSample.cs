using System.Globalization;

namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>One line of Prometheus' text format: <c>name{label="value",…} 12.5</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public static PrometheusSample Parse(string line)
    {
        var nameEnd = line.IndexOfAny(['{', ' ']);
        var labels = new Dictionary<string, string>();
        var at = nameEnd;
        if (line[at] == '{')
        {
            at++;
            // A value may hold '}' and ',' (a route template), so the labels are read one by one, quotes and all.
            while (line[at] != '}')
            {
                var equals = line.IndexOf('=', at);
                var value = new StringBuilder();
                var i = equals + 2;
                for (; line[i] != '"'; i++)
                {
                    value.Append(line[i] == '\\' ? line[++i] switch { 'n' => '\n', var c => c } : line[i]);
                }

                labels[line[at..equals]] = value.ToString();
                at = line[i + 1] == ',' ? i + 2 : i + 1;
            }

            at++;
        }

        var number = line[(at + 1)..].Split(' ')[0];
        return new PrometheusSample(line[..nameEnd], labels, double.Parse(number, CultureInfo.InvariantCulture));
    }
}
