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
        CheckCoverage(coverage);
        int cropSize = CheckCropSize(set.Folder, set.ReadCropSize(), inputSize, coverage);
        return Build(set.Count, cropSize, inputSize, coverage, i =>
        {
            var crop = PngReader.Read(set.CropPaths[i]);
            if (crop.Width != cropSize || crop.Height != cropSize)
                throw new DoppelException($"{set.CropPaths[i]} is {crop.Width}x{crop.Height}, but the face set's crops are {cropSize}x{cropSize}",
                    "a face set holds crops of one size; re-extract it, or move the odd crops to another set");
            return (crop, set.LandmarksOf(i));
        }, progress);
    }

    /// <summary>
    /// Square crops already in memory (all of one size, e.g. cut out of converted frames with the
    /// alignments of their source), without landmarks: the same resampling as <see cref="Load"/>,
    /// so faces read from disk and faces cut from frames reach a model through one path.
    /// </summary>
    public static TrainingFaces FromCrops(IReadOnlyList<RgbImage> crops, int inputSize, double coverage)
    {
        if (crops.Count == 0) throw new ArgumentException("no crops given", nameof(crops));
        CheckCoverage(coverage);
        int cropSize = CheckCropSize("the crops", crops[0].Width, inputSize, coverage);
        return Build(crops.Count, cropSize, inputSize, coverage, i =>
        {
            if (crops[i].Width != cropSize || crops[i].Height != cropSize)
                throw new ArgumentException($"crop {i} is {crops[i].Width}x{crops[i].Height}, the first is {cropSize}x{cropSize}", nameof(crops));
            return (crops[i], null);
        }, null);
    }

    private static void CheckCoverage(double coverage)
    {
        if (coverage is <= 0.1 or > 1) throw new DoppelException($"coverage {coverage} is outside (0.1, 1]", "use e.g. --coverage 0.75");
    }

    private static int CheckCropSize(string what, int cropSize, int inputSize, double coverage)
    {
        if (cropSize * coverage < inputSize)
            throw new DoppelException($"the crops of {what} are {cropSize} px; at coverage {coverage} that leaves {cropSize * coverage:F0} px for a {inputSize} px model",
                "extract with a larger --size, raise --coverage, or pick a smaller model");
        return cropSize;
    }

    private static TrainingFaces Build(int count, int cropSize, int inputSize, double coverage, Func<int, (RgbImage Crop, float[]? Landmarks)> read, Action<int>? progress)
    {
        int stored = (int)Math.Round(cropSize * inputSize / (cropSize * coverage));
        double scale = (double)stored / cropSize;
        var faces = new RgbImage[count];
        var masks = new GrayImage?[count];
        for (int i = 0; i < count; i++)
        {
            var (crop, landmarks) = read(i);
            faces[i] = ImageResize.Resize(crop, stored, stored);
            if (landmarks is not null) masks[i] = LandmarkMask.Render(Scaled(landmarks, scale), stored);
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
