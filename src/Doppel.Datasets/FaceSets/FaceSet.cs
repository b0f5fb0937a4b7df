using Doppel.Faces.Extraction;
using System.Security.Cryptography;
using System.Text;
using Doppel.Core;
using Doppel.Media.Png;

namespace Doppel.Datasets.FaceSets;

/// <summary>
/// A face set folder from <c>doppel extract</c>: <c>faces/*.png</c> (square aligned crops, all the
/// same size) and <c>alignments.json</c>. Opening checks the folder and computes a fingerprint (a
/// hash of alignments.json and of every crop's name and length), which a checkpoint stores so that
/// resuming with other faces is caught instead of silently mixing people.
/// </summary>
public sealed class FaceSet
{
    private FaceSet(string folder, string[] crops, Dictionary<string, float[]> landmarks, string fingerprint)
    {
        Folder = folder;
        CropPaths = crops;
        Landmarks = landmarks;
        Fingerprint = fingerprint;
    }

    public string Folder { get; }

    /// <summary>Full paths of the crops, in ordinal name order (stable across machines).</summary>
    public IReadOnlyList<string> CropPaths { get; }

    /// <summary>Landmarks in crop pixels by crop file name; empty when alignments.json has none.</summary>
    public IReadOnlyDictionary<string, float[]> Landmarks { get; }

    public string Fingerprint { get; }

    public int Count => CropPaths.Count;

    public float[]? LandmarksOf(int index) => Landmarks.GetValueOrDefault(Path.GetFileName(CropPaths[index]));

    public static FaceSet Open(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new DoppelException($"face set not found: {folder}", "give the folder that doppel extract wrote (it holds faces/ and alignments.json)");
        string faces = Path.Combine(full, "faces");
        string[] crops = Directory.Exists(faces)
            ? Directory.GetFiles(faces, "*.png").OrderBy(p => Path.GetFileName(p), StringComparer.Ordinal).ToArray()
            : [];
        if (crops.Length == 0)
            throw new DoppelException($"face set {folder} has no faces (expected PNG crops in {faces})", "run doppel extract on a video or images of this person first");
        string alignments = Path.Combine(full, AlignmentsFile.FileName);
        var landmarks = File.Exists(alignments) ? CropLandmarks.Read(alignments) : new Dictionary<string, float[]>();
        return new FaceSet(full, crops, landmarks, ComputeFingerprint(alignments, crops));
    }

    /// <summary>The crop side, read from the first PNG; <see cref="TrainingFaces"/> checks every crop against it.</summary>
    public int ReadCropSize()
    {
        var first = PngReader.Read(CropPaths[0]);
        if (first.Width != first.Height)
            throw new DoppelException($"{CropPaths[0]} is {first.Width}x{first.Height}; face crops must be square", "re-run doppel extract");
        return first.Width;
    }

    private static string ComputeFingerprint(string alignments, string[] crops)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (File.Exists(alignments)) hash.AppendData(File.ReadAllBytes(alignments));
        foreach (string crop in crops)
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(crop)}:{new FileInfo(crop).Length}\n"));
        return System.Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}
