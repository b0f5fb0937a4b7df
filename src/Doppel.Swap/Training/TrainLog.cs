namespace Doppel.Swap.Training;

/// <summary>Plain status lines of a training session, to the given writer or the console.</summary>
internal sealed class TrainLog(TextWriter? writer) : IDisposable
{
    private readonly TextWriter _out = writer ?? Console.Out;

    public void Line(string text)
    {
        _out.WriteLine(text);
        _out.Flush();
    }

    public void Dispose() => _out.Flush();
}
