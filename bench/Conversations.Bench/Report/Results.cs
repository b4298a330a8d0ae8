using System.Text.Json;

namespace Conversations.Bench.Report;

/// <summary>Everything one run measured: tables, targets, and the machine; printed and written as JSON.</summary>
public sealed class Results
{
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public Dictionary<string, string> Machine { get; } = MachineInfo.Describe();

    public List<Table> Tables { get; } = [];

    public List<Target> Targets { get; } = [];

    public string Mode { get; set; } = "";

    public Table NewTable(string section, string title, params string[] columns)
    {
        var table = new Table(section, title, columns);
        Tables.Add(table);
        return table;
    }

    public void Check(string name, string goal, double measured, string unit, bool met) =>
        Targets.Add(new Target(name, goal, $"{Table.Format(measured)} {unit}".Trim(), met));

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Conversations benchmark, {Mode} run, {StartedAt:yyyy-MM-dd HH:mm} UTC");
        output.WriteLine(string.Join("; ", Machine.Select(pair => $"{pair.Key}: {pair.Value}")));
        foreach (var table in Tables.OrderBy(t => t.Section, StringComparer.Ordinal))
        {
            table.Print(output);
        }

        if (Targets.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Targets");
            var width = Targets.Max(t => t.Name.Length);
            foreach (var target in Targets)
            {
                output.WriteLine($"  {(target.Met ? "met    " : "NOT MET")}  {target.Name.PadRight(width)}  goal {target.Goal}, measured {target.Measured}");
            }
        }
    }

    public string WriteJson(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{StartedAt:yyyy-MM-dd-HHmmss}-{Mode}.json");
        var document = new
        {
            started_at = StartedAt,
            mode = Mode,
            machine = Machine,
            tables = Tables.OrderBy(t => t.Section, StringComparer.Ordinal).Select(t => new
            {
                section = t.Section,
                title = t.Title,
                rows = t.Rows.Select(r => t.Columns.Zip(r).ToDictionary(p => p.First, p => p.Second)),
                notes = t.Notes,
            }),
            targets = Targets,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
