using Doppel.Media.Files;
using Doppel.Media.Imaging;
using Doppel.Media.Video;

namespace Doppel.Swap.Convert;

/// <summary>
/// The one place where a converted output becomes a finished file under its real name. Every
/// output Doppel synthesises is to carry C2PA content credentials: signing belongs here (sign the
/// completed file before it is announced), and nowhere else in the converter writes outputs.
/// </summary>
public static class OutputFinaliser
{
    /// <summary>Finishes the encode and renames the temporary file into place (see <see cref="VideoWriter.Complete"/>).</summary>
    public static void Finish(VideoWriter writer)
    {
        writer.Complete();
        // C2PA: sign writer.Path here.
    }

    /// <summary>Writes a converted still atomically (temporary name, then rename).</summary>
    public static void Finish(string path, RgbImage image)
    {
        ImageFile.Write(path, image);
        // C2PA: sign path here.
    }
}
