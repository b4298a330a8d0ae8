namespace Conversations.Bench.Load;

/// <summary>The rounds of one side-by-side measurement.</summary>
public sealed record Comparison(IReadOnlyList<LoadResult> Direct, IReadOnlyList<LoadResult> Service)
{
    public double DirectP50 => SideBySide.Median(Direct.Select(r => r.P50));

    public double ServiceP50 => SideBySide.Median(Service.Select(r => r.P50));

    public double DirectP99 => SideBySide.Median(Direct.Select(r => r.P99));

    public double ServiceP99 => SideBySide.Median(Service.Select(r => r.P99));

    public double DirectRps => SideBySide.Median(Direct.Select(r => r.RequestsPerSecond));

    public double ServiceRps => SideBySide.Median(Service.Select(r => r.RequestsPerSecond));

    public double AddedP50 => SideBySide.Median(Direct.Zip(Service, (d, s) => s.P50 - d.P50));

    public double AddedP99 => SideBySide.Median(Direct.Zip(Service, (d, s) => s.P99 - d.P99));

    public double RpsRatio => SideBySide.Median(Direct.Zip(Service, (d, s) => s.RequestsPerSecond / d.RequestsPerSecond));

    public double DirectAllocated => SideBySide.Median(Direct.Select(r => r.AllocatedPerRequest));

    public double ServiceAllocated => SideBySide.Median(Service.Select(r => r.AllocatedPerRequest));

    public int Errors => Direct.Sum(r => r.Errors) + Service.Sum(r => r.Errors);
}
