using Doppel.Training.Tests.Support;

namespace Doppel.Training.Tests;

public class MetricsLogTests
{
    private static Dictionary<string, double> M(params (string, double)[] values) => values.ToDictionary(v => v.Item1, v => v.Item2);

    [Fact]
    public void OnResumeRowsAfterTheCheckpointAndATornLineAreDropped()
    {
        using var dir = new TempDir();
        string csv = dir.Sub("metrics.csv"), jsonl = dir.Sub("metrics.jsonl");
        var a = new CsvMetricsLog(csv);
        var b = new JsonlMetricsLog(jsonl);
        for (int i = 1; i <= 5; i++)
        {
            a.Add(i, i, M(("loss", 1.0 / i)));
            b.Add(i, i, M(("loss", 1.0 / i)));
        }
        File.AppendAllText(csv, "6,6.00,0.1");     // a crash in the middle of a line
        File.AppendAllText(jsonl, "{\"iteration\":6,");

        a = new CsvMetricsLog(csv, resumeAt: 3);
        b = new JsonlMetricsLog(jsonl, resumeAt: 3);
        a.Add(4, 0.5, M(("loss", 0.75)));
        b.Add(4, 0.5, M(("loss", 0.75)));
        Assert.Equal(["iteration,seconds,loss", "1,1.00,1", "2,2.00,0.5", "3,3.00,0.3333333333333333", "4,0.50,0.75"], File.ReadAllLines(csv));
        var lines = File.ReadAllLines(jsonl);
        Assert.Equal(4, lines.Length);
        Assert.Equal("{\"iteration\":4,\"seconds\":0.5,\"loss\":0.75}", lines[3]);
    }

    [Fact]
    public void ResumingKeepsTheColumnsOfTheFile()
    {
        using var dir = new TempDir();
        string csv = dir.Sub("m.csv");
        var log = new CsvMetricsLog(csv);
        log.Add(1, 0, M(("d", 1), ("g", 2)));
        log = new CsvMetricsLog(csv, resumeAt: 1);
        Assert.Equal(["d", "g"], log.Columns);
        log.Add(2, 0, M(("g", 3), ("gp", 4)));
        Assert.Equal(["iteration,seconds,d,g,gp", "1,0.00,1,2,", "2,0.00,,3,4"], File.ReadAllLines(csv));
    }

    [Fact]
    public void AFixedViewWritesItsColumnsOnlyInItsFormat()
    {
        using var dir = new TempDir();
        string csv = dir.Sub("loss.csv");
        var log = new CsvMetricsLog(csv, columns: ["loss_a", "loss_b"], format: v => ((float)v).ToString("G9", System.Globalization.CultureInfo.InvariantCulture));
        log.Add(1, 1.234, M(("loss_a", 0.1f), ("mask_a", 0.5), ("loss_b", 0.2f)));
        Assert.Equal(["iteration,seconds,loss_a,loss_b", "1,1.23,0.100000001,0.200000003"], File.ReadAllLines(csv));
    }

    [Fact]
    public void ShortestTextReadsBackExactly()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        // Doubles read back as the same double...
        foreach (double v in new[] { 0.1, 1e-300, Math.PI, 1.0 / 3 })
            Assert.Equal(v, double.Parse(MetricNames.Shortest(v), inv));
        // ...float-valued metrics (most losses) as the same float, in a float's few digits.
        foreach (float f in new[] { 0.1f, float.Epsilon, 0.12345679f, 3f })
            Assert.Equal(f, float.Parse(MetricNames.Shortest(f), inv));
        Assert.Equal("0.1", MetricNames.Shortest(0.1f));
        Assert.Equal("0.12345679", MetricNames.Shortest(0.12345679f));
    }
}
