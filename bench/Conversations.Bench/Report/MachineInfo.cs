using System.Runtime;
using System.Runtime.InteropServices;

namespace Conversations.Bench.Report;

/// <summary>What the figures were measured on.</summary>
public static class MachineInfo
{
    public static Dictionary<string, string> Describe() => new()
    {
        ["cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["cpu"] = CpuModel(),
        ["memory"] = $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):0.0} GiB",
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["gc"] = GCSettings.IsServerGC ? "server" : "workstation",
    };

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?
                .Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
