using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Doppel.Provenance;

namespace Doppel.Swap.Convert.Output;

/// <summary>An H.264 MP4 at the source's frame rate, with the source's sound copied through.</summary>
/// <param name="widthFactor">2 for a side-by-side video (<see cref="SideBySideSink"/>), else 1.</param>
public sealed class VideoSink(string path, VideoInfo source, SyntheticOutputPolicy outputs, int widthFactor = 1) : IFrameSink
{
    private readonly VideoWriter _writer = new(path, source.Width * widthFactor, source.Height, source.FrameRate,
        VideoWriteOptions.Default with { AudioSource = source.HasAudio ? source.Path : null });

    public string Path => _writer.Path;
    public bool WantsSource => false;

    public void Write(RgbImage converted, RgbImage? source) => _writer.Write(converted);

    // The encoder renames its own temporary file; the label goes on just before.
    public void Complete() => _writer.Complete(outputs.BeforeRename(_writer.Path, source.Path));

    public void Dispose() => _writer.Dispose();
}
