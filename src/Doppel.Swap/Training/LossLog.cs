using System.Globalization;

namespace Doppel.Swap.Training;

/// <summary>The loss history of a run, appended to <c>loss.csv</c> (iteration, seconds, loss A, loss B).</summary>
public sealed class LossLog
{
    private const string Header = "iteration,seconds,loss_a,loss_b\n";
    private readonly string _path;
    private readonly List<(long Iteration, double Seconds, float LossA, float LossB)> _rows = [];

    /// <param name="append">Keep an existing file's rows (a resumed run continues its curve).</param>
    public LossLog(string path, bool append = false)
    {
        _path = path;
        if (!append || !File.Exists(path)) File.WriteAllText(path, Header);
    }

    public IReadOnlyList<(long Iteration, double Seconds, float LossA, float LossB)> Rows => _rows;

    public void Add(long iteration, double seconds, float lossA, float lossB)
    {
        _rows.Add((iteration, seconds, lossA, lossB));
        File.AppendAllText(_path, string.Create(CultureInfo.InvariantCulture, $"{iteration},{seconds:F2},{lossA:G9},{lossB:G9}\n"));
    }
}
