using System.Text;
using Doppel.Core;
using Doppel.Media.Imaging;

namespace Doppel.Media.Files;

/// <summary>
/// Parses the binary PPM (P6) ffmpeg emits: "P6", width, height, maxval as ASCII separated by
/// whitespace (comments start with '#'), one whitespace byte, then 8-bit RGB rows.
/// </summary>
internal static class PpmParser
{
    public static RgbImage Parse(ReadOnlySpan<byte> ppm, string source)
    {
        int pos = 0;
        string magic = Token(ppm, ref pos);
        int width = Number(ppm, ref pos, source), height = Number(ppm, ref pos, source), max = Number(ppm, ref pos, source);
        if (magic != "P6" || max != 255)
            throw new DoppelException($"{source}: ffmpeg returned an unexpected PPM header ({magic}, maxval {max})", "check the installed ffmpeg");
        pos++; // the single whitespace byte after maxval
        var image = new RgbImage(width, height);
        if (ppm.Length - pos < image.Data.Length)
            throw new DoppelException($"{source}: ffmpeg returned a short image ({ppm.Length - pos} of {image.Data.Length} bytes)", "the file may be truncated");
        ppm.Slice(pos, image.Data.Length).CopyTo(image.Data);
        return image;
    }

    private static int Number(ReadOnlySpan<byte> ppm, ref int pos, string source) =>
        int.TryParse(Token(ppm, ref pos), out int v) && v > 0 ? v : throw new DoppelException($"{source}: ffmpeg returned a malformed PPM header");

    private static string Token(ReadOnlySpan<byte> ppm, ref int pos)
    {
        while (pos < ppm.Length)
        {
            if (ppm[pos] == '#') { while (pos < ppm.Length && ppm[pos] != '\n') pos++; }
            else if (char.IsWhiteSpace((char)ppm[pos])) pos++;
            else break;
        }
        int start = pos;
        while (pos < ppm.Length && !char.IsWhiteSpace((char)ppm[pos])) pos++;
        return Encoding.ASCII.GetString(ppm[start..pos]);
    }
}
