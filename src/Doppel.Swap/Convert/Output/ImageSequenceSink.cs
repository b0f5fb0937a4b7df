using Doppel.Core;
using Doppel.Media.Imaging;
using Doppel.Media.Files;
using Doppel.Provenance;

namespace Doppel.Swap.Convert.Output;

/// <summary>
/// One lossless PNG per frame (<c>000000.png</c>, <c>000001.png</c>, ...) in a folder, for
/// compositing or editing frame by frame. The frames go into a temporary folder beside the
/// target, which is renamed into place when complete, so a cut-off run never leaves half a
/// sequence that looks finished. An existing target folder is replaced only then.
/// </summary>
public sealed class ImageSequenceSink : IFrameSink
{
    private readonly string _temporary;
    private long _written;
    private bool _completed;

    private readonly string _source;
    private readonly SyntheticOutputPolicy _outputs;

    /// <param name="source">The video the frames come from (each frame's parent ingredient).</param>
    public ImageSequenceSink(string path, string source, SyntheticOutputPolicy outputs)
    {
        _source = source;
        _outputs = outputs;
        Path = System.IO.Path.GetFullPath(path);
        if (File.Exists(Path)) throw new DoppelException($"{path} is a file, but --format png writes a folder of frames", "choose a folder name for -o");
        string parent = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(parent);
        _temporary = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(_temporary);
    }

    public string Path { get; }
    public bool WantsSource => false;

    public void Write(RgbImage converted, RgbImage? source)
    {
        // Each frame is its own synthetic image, so each is labelled on its own.
        _outputs.Write(System.IO.Path.Combine(_temporary, $"{_written:D6}.png"), file => ImageFile.Write(file, converted), _source);
        _written++;
    }

    public void Complete()
    {
        if (_completed) return;
        if (_written == 0) throw new DoppelException($"no frames were written to {Path}", "the input gave no frames");
        if (Directory.Exists(Path))
        {
            // Swap the old folder out before deleting it, so the target name is never empty of a complete sequence for long.
            string old = _temporary + ".old";
            Directory.Move(Path, old);
            Directory.Move(_temporary, Path);
            Directory.Delete(old, recursive: true);
        }
        else Directory.Move(_temporary, Path);
        _completed = true;
    }

    public void Dispose()
    {
        if (_completed) return;
        try { Directory.Delete(_temporary, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
