using System.Globalization;

namespace Conversations.Silo.Tests.Soak;

/// <summary>The memory of the cluster's processes at one moment of a soak: each one's working set, and each API host's GC heap.</summary>
public sealed record MemorySample(TimeSpan At, IReadOnlyList<(string Process, long WorkingSetBytes, long? GcHeapBytes)> Processes)
{
    /// <summary>A process's resident set (what <c>ps</c> calls RSS), read from <c>/proc</c>; 0 once it has exited.</summary>
    public static long WorkingSet(int processId)
    {
        try
        {
            var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The GC heap after the last collection, all generations, from a host's Prometheus metrics; null when it reports none.</summary>
    public static long? GcHeap(string prometheusText)
    {
        long? total = null;
        foreach (var line in prometheusText.Split('\n'))
        {
            if (line.StartsWith("dotnet_gc_last_collection_heap_size_bytes", StringComparison.Ordinal)
                && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var bytes))
            {
                total = (total ?? 0) + (long)bytes;
            }
        }

        return total;
    }
}
