using Doppel.Core;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Forensics.Model;

/// <summary>
/// How a face becomes the detector's input, the same way in training and in detect: the central
/// square of an aligned crop in which the landmark face box spans <see cref="DetectorSpec.FaceFraction"/>,
/// area-averaged to the input size; pixels to [-1, 1]. Training reads the crops of
/// <c>doppel extract</c>; detect makes the same crops with the same extractor, so both see faces
/// resampled the same way (a detector of paste traces is sensitive to resampling).
/// </summary>
public static class DetectorInput
{
    /// <summary>Where the input square lies in a crop: its left/top offset and side, in crop pixels.</summary>
    public static (int Offset, int Side) Region(int cropSize, double cropFaceFraction, DetectorSpec spec)
    {
        int side = (int)Math.Round(cropSize * cropFaceFraction / spec.FaceFraction);
        if (side > cropSize)
            throw new DoppelException($"the crops ({cropSize} px, face at {cropFaceFraction:0.##} of the side) leave too little margin for a detector that wants the face at {spec.FaceFraction:0.##} of its input",
                "extract with the default crop geometry (face fraction 0.75)");
        return ((cropSize - side) / 2, side);
    }

    /// <summary>The input image (S x S) cut from an aligned crop.</summary>
    public static RgbImage FromCrop(RgbImage crop, double cropFaceFraction, DetectorSpec spec)
    {
        var (offset, side) = Region(crop.Width, cropFaceFraction, spec);
        var region = side == crop.Width ? crop : crop.Crop(offset, offset, side, side);
        return side == spec.InputSize ? region.Clone() : ImageResize.Resize(region, spec.InputSize, spec.InputSize);
    }

    /// <summary>Crop-pixel landmarks moved into input pixels (pixel centres at integers).</summary>
    public static float[] LandmarksFromCrop(ReadOnlySpan<float> cropLandmarks, int cropSize, double cropFaceFraction, DetectorSpec spec)
    {
        var (offset, side) = Region(cropSize, cropFaceFraction, spec);
        double scale = (double)spec.InputSize / side;
        var result = new float[cropLandmarks.Length];
        for (int i = 0; i < cropLandmarks.Length; i++) result[i] = (float)((cropLandmarks[i] - offset + 0.5) * scale - 0.5);
        return result;
    }

    /// <summary>Writes the image as (S, S, 3) floats in [-1, 1].</summary>
    public static void ToTensor(RgbImage face, Span<float> destination) => FloatPixels.ToInterleaved(face, destination, 1f / 127.5f, -1f);
}
