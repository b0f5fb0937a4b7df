using Doppel.Core;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Png;

namespace Doppel.Datasets.FaceSets;

/// <summary>
/// One person's faces in memory, ready for augmentation: each crop resampled so that its central
/// <c>coverage</c> fraction spans the model's input size (a 256 px crop at coverage 0.75 for a
/// 64 px model is kept at 85 px), with the landmark weight mask at the same scale. Keeping the
/// margin around the covered square lets rotation, zoom and shift pull real pixels in instead of
/// border fill, and warping from this smaller image keeps the data path cheap.
/// </summary>
public sealed class TrainingFaces
{
    private readonly RgbImage[] _faces;
    private readonly GrayImage?[] _masks;

    private TrainingFaces(RgbImage[] faces, GrayImage?[] masks, int inputSize, int storedSize, int cropSize)
    {
        _faces = faces;
        _masks = masks;
        InputSize = inputSize;
        StoredSize = storedSize;
        CropSize = cropSize;
    }

    public int Count => _faces.Length;
    public int InputSize { get; }
    public int StoredSize { get; }
    public int CropSize { get; }

    /// <summary>True when every face has a landmark mask; otherwise the loss is unweighted.</summary>
    public bool HasMasks => _masks.All(m => m is not null);

    public RgbImage Face(int index) => _faces[index];
    public GrayImage? Mask(int index) => _masks[index];

    public static TrainingFaces Load(FaceSet set, int inputSize, double coverage, Action<int>? progress = null)
    {
        if (coverage is <= 0.1 or > 1) throw new DoppelException($"coverage {coverage} is outside (0.1, 1]", "use e.g. --coverage 0.75");
        int cropSize = set.ReadCropSize();
        if (cropSize * coverage < inputSize)
            throw new DoppelException($"the crops of {set.Folder} are {cropSize} px; at coverage {coverage} that leaves {cropSize * coverage:F0} px for a {inputSize} px model",
                "extract with a larger --size, raise --coverage, or pick a smaller model");
        int stored = (int)Math.Round(cropSize * inputSize / (cropSize * coverage));
        double scale = (double)stored / cropSize;
        var faces = new RgbImage[set.Count];
        var masks = new GrayImage?[set.Count];
        for (int i = 0; i < set.Count; i++)
        {
            var crop = PngReader.Read(set.CropPaths[i]);
            if (crop.Width != cropSize || crop.Height != cropSize)
                throw new DoppelException($"{set.CropPaths[i]} is {crop.Width}x{crop.Height}, but the face set's crops are {cropSize}x{cropSize}",
                    "a face set holds crops of one size; re-extract it, or move the odd crops to another set");
            faces[i] = ImageResize.Resize(crop, stored, stored);
            if (set.LandmarksOf(i) is { } landmarks) masks[i] = LandmarkMask.Render(Scaled(landmarks, scale), stored);
            progress?.Invoke(i + 1);
        }
        return new TrainingFaces(faces, masks, inputSize, stored, cropSize);
    }

    // Pixel centres are at integers, so scaling about the corner of pixel 0 is (x + 0.5) s - 0.5.
    private static float[] Scaled(float[] landmarks, double scale)
    {
        var result = new float[landmarks.Length];
        for (int i = 0; i < landmarks.Length; i++) result[i] = (float)((landmarks[i] + 0.5) * scale - 0.5);
        return result;
    }
}
