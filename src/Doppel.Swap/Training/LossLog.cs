using System.Globalization;

namespace Doppel.Swap.Training;

/// <summary>The loss history of a run, appended to <c>loss.csv</c> (iteration, seconds, loss A, loss B).</summary>
public sealed class LossLog
{
    private readonly string _path;
    private readonly List<(long Iteration, double Seconds, float LossA, float LossB)> _rows = [];

    public LossLog(string path)
    {
        _path = path;
        File.WriteAllText(path, "iteration,seconds,loss_a,loss_b\n");
    }

    public IReadOnlyList<(long Iteration, double Seconds, float LossA, float LossB)> Rows => _rows;

    public void Add(long iteration, double seconds, float lossA, float lossB)
    {
        _rows.Add((iteration, seconds, lossA, lossB));
        File.AppendAllText(_path, string.Create(CultureInfo.InvariantCulture, $"{iteration},{seconds:F2},{lossA:G6},{lossB:G6}\n"));
    }
}
