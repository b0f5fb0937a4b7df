using Doppel.Faces.Extraction;

namespace Doppel.Datasets.FaceSets;

/// <summary>
/// The 68 landmarks of each crop of a face set, in crop pixels, for the loss masks. Reads the
/// face set's <c>alignments.json</c> with the extractor's own <see cref="AlignmentsFile"/>
/// (so there is one parser of that format) and maps each face's source-pixel landmarks through
/// its source-to-crop matrix.
/// </summary>
public static class CropLandmarks
{
    public const int LandmarkCount = 68;

    /// <summary>Crop file name (no folder) -> 136 floats (x0, y0, x1, y1 ...) in crop pixels.</summary>
    public static Dictionary<string, float[]> Read(string alignmentsPath)
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var source in AlignmentsFile.Read(alignmentsPath).Sources)
            foreach (var frame in source.Frames)
                foreach (var face in frame.Faces)
                {
                    if (face.File is null || face.Landmarks.Length != LandmarkCount || face.Matrix.Length != 6) continue;
                    double[] m = face.Matrix; // crop = M * source, M row-major [a b c; d e f]
                    var points = new float[2 * LandmarkCount];
                    for (int i = 0; i < LandmarkCount; i++)
                    {
                        double x = face.Landmarks[i][0], y = face.Landmarks[i][1];
                        points[2 * i] = (float)(m[0] * x + m[1] * y + m[2]);
                        points[2 * i + 1] = (float)(m[3] * x + m[4] * y + m[5]);
                    }
                    result[Path.GetFileName(face.File)] = points;
                }
        return result;
    }
}
