using Doppel.Faces.Extraction;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Datasets.Tests.Support;

/// <summary>
/// Writes a face set the way <c>doppel extract</c> lays it out: faces/*.png and an
/// alignments.json written by the extractor's own <see cref="AlignmentsFile"/>, from crops the
/// test made. A face without landmarks is recorded with an empty landmark list.
/// </summary>
public static class FaceSetWriter
{
    public sealed record Face(int Frame, RgbImage Crop, float[]? SourceLandmarks, AffineMatrix SourceToCrop);

    public static string Write(string folder, string sourceName, IReadOnlyList<Face> faces)
    {
        Directory.CreateDirectory(Path.Combine(folder, "faces"));
        var source = new SourceAlignments { Path = sourceName, Kind = "video", Width = 1, Height = 1, Complete = true };
        foreach (var f in faces)
        {
            string crop = $"{Path.GetFileNameWithoutExtension(sourceName)}_{f.Frame:D6}_0.png";
            PngWriter.Write(Path.Combine(folder, "faces", crop), f.Crop);
            float[][] landmarks = f.SourceLandmarks is { } p
                ? Enumerable.Range(0, p.Length / 2).Select(k => new[] { p[2 * k], p[2 * k + 1] }).ToArray()
                : [];
            source.Frames.Add(new FrameAlignments(f.Frame, [new FaceAlignment([0, 0, 1, 1], 1.0, landmarks, f.SourceToCrop.ToRowMajor(), crop)]));
        }
        var document = new AlignmentsDocument
        {
            Generator = "Doppel.Datasets.Tests",
            CropSize = faces.Count > 0 ? faces[0].Crop.Width : 0,
            FaceFraction = 0.75,
            Template = "test",
            Detector = "test",
        };
        document.Sources.Add(source);
        AlignmentsFile.Write(Path.Combine(folder, AlignmentsFile.FileName), document);
        return folder;
    }
}
