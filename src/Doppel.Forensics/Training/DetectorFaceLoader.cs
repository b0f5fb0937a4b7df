using Doppel.Core;
using Doppel.Datasets.FaceSets;
using Doppel.Faces.Alignment;
using Doppel.Faces.Extraction;
using Doppel.Forensics.Model;
using Doppel.Media.Png;

namespace Doppel.Forensics.Training;

/// <summary>
/// Reads face sets from <c>doppel extract</c> for the detector: every crop cut to the detector's
/// input (<see cref="DetectorInput"/>), with its landmarks and its source and frame from
/// alignments.json (<see cref="AlignmentsFile"/>, the one parser of that format). Crops that
/// alignments.json does not list count as single images of their own.
/// </summary>
public static class DetectorFaceLoader
{
    public static List<DetectorFace> Load(FaceSet set, DetectorSpec spec, bool fakes, int setIndex = 0, Action<int>? progress = null)
    {
        string alignmentsPath = Path.Combine(set.Folder, AlignmentsFile.FileName);
        var origins = new Dictionary<string, (string Source, bool IsVideo, long Frame)>(StringComparer.Ordinal);
        double faceFraction = CropGeometry.DefaultFaceFraction;
        if (File.Exists(alignmentsPath))
        {
            var doc = AlignmentsFile.Read(alignmentsPath);
            faceFraction = doc.FaceFraction;
            foreach (var source in doc.Sources)
                foreach (var frame in source.Frames)
                    foreach (var face in frame.Faces)
                        if (face.File is not null) origins[Path.GetFileName(face.File)] = (source.Path, source.Kind == "video", frame.Frame);
        }
        else if (!fakes)
        {
            throw new DoppelException($"face set {set.Folder} has no {AlignmentsFile.FileName}",
                "self-blending needs the 68 landmarks of each face: use a face set written by doppel extract");
        }

        var faces = new List<DetectorFace>(set.Count);
        int cropSize = set.ReadCropSize();
        for (int i = 0; i < set.Count; i++)
        {
            string path = set.CropPaths[i], name = Path.GetFileName(path);
            var crop = PngReader.Read(path);
            if (crop.Width != cropSize || crop.Height != cropSize)
                throw new DoppelException($"{path} is {crop.Width}x{crop.Height}, but the face set's crops are {cropSize}x{cropSize}", "re-extract the face set");
            float[]? landmarks = set.LandmarksOf(i) is { } l ? DetectorInput.LandmarksFromCrop(l, cropSize, faceFraction, spec) : null;
            if (landmarks is null && !fakes) continue; // a real face without landmarks cannot be self-blended
            var (source, isVideo, frame) = origins.TryGetValue(name, out var o) ? o : (path, false, 0L);
            faces.Add(new DetectorFace(DetectorInput.FromCrop(crop, faceFraction, spec), landmarks, source, isVideo, frame, fakes, setIndex));
            progress?.Invoke(i + 1);
        }
        if (faces.Count == 0)
            throw new DoppelException($"face set {set.Folder} has no usable faces", "the crops need landmarks in alignments.json: re-run doppel extract");
        return faces;
    }
}
