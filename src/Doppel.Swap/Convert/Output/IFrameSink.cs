using Doppel.Media.Imaging;

namespace Doppel.Swap.Convert.Output;

/// <summary>
/// Where converted frames of a video go, in order. Nothing appears under the real name until
/// <see cref="Complete"/>; disposing an incomplete sink (an error, Ctrl-C) removes what it wrote.
/// </summary>
public interface IFrameSink : IDisposable
{
    /// <summary>The file or folder the sink fills.</summary>
    string Path { get; }

    /// <summary>True when the sink also shows the untouched source frame (so the job keeps a copy of it).</summary>
    bool WantsSource { get; }

    /// <param name="converted">The frame with its faces swapped.</param>
    /// <param name="source">The frame as decoded; only when <see cref="WantsSource"/>, else null.</param>
    void Write(RgbImage converted, RgbImage? source);

    /// <summary>Finishes and moves the output into place (labelled as synthetic, see <see cref="Doppel.Provenance.SyntheticOutputPolicy"/>).</summary>
    void Complete();
}
