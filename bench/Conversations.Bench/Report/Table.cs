using System.Globalization;

namespace Conversations.Bench.Report;

/// <summary>One section's figures: a title, column names, and rows of formatted cells.</summary>
public sealed class Table(string section, string title, params string[] columns)
{
    public string Section { get; } = section;

    public string Title { get; } = title;

    public IReadOnlyList<string> Columns { get; } = columns;

    public List<string[]> Rows { get; } = [];

    public List<string> Notes { get; } = [];

    public void Add(params object[] cells) => Rows.Add([.. cells.Select(Format)]);

    public static string Format(object cell) => cell switch
    {
        double d when double.IsNaN(d) => "n/a",
        double d when Math.Abs(d) >= 1000 => d.ToString("N0", CultureInfo.InvariantCulture),
        double d when Math.Abs(d) >= 100 => d.ToString("0.0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.000", CultureInfo.InvariantCulture),
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
    };

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"({Section}) {Title}");
        var widths = Columns.Select((c, i) => Math.Max(c.Length, Rows.Count == 0 ? 0 : Rows.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
        output.WriteLine("| " + string.Join(" | ", Columns.Select((c, i) => c.PadRight(widths[i]))) + " |");
        output.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in Rows)
        {
            output.WriteLine("| " + string.Join(" | ", row.Select((c, i) => c.PadLeft(widths[i]))) + " |");
        }

        foreach (var note in Notes)
        {
            output.WriteLine("  " + note);
        }
    }
}
