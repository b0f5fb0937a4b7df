using Doppel.Media.Imaging;

namespace Doppel.Media.Png;

/// <summary>What <see cref="PngReader.Decode"/> returns: the pixels as RGB, the alpha channel
/// when the file had one, the header as stored, and every ancillary chunk (for C2PA etc.).</summary>
public sealed record PngDecoded(PngHeader Header, RgbImage Image, GrayImage? Alpha, IReadOnlyList<PngChunk> AncillaryChunks);
