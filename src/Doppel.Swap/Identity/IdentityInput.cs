namespace Doppel.Swap.Identity;

/// <summary>
/// What the identity classifier looks at: the centre of the face, colour normalised. The square
/// is the central <see cref="Coverage"/> of an aligned crop (at the extractor's default face
/// fraction 0.75, two thirds of the landmark box: eyes, brows, nose, mouth and cheeks, without
/// the jaw line, hair, ears or background), drawn at <see cref="Size"/> px. Each channel is then
/// shifted and scaled to mean 0 and standard deviation 1 over the square, so neither the light,
/// the white balance, the skin's overall tone nor the converter's colour transfer can decide the
/// answer: only the shapes and the shading inside the face can.
/// </summary>
public static class IdentityInput
{
    public const int Size = 64;
    public const double Coverage = 0.5;

    /// <summary>Per-channel standardisation of an interleaved (Size, Size, 3) face in place.</summary>
    public static void Normalise(Span<float> face)
    {
        if (face.Length % 3 != 0) throw new ArgumentException("an RGB face has a multiple of 3 values", nameof(face));
        int n = face.Length / 3;
        for (int c = 0; c < 3; c++)
        {
            double sum = 0, squares = 0;
            for (int i = c; i < face.Length; i += 3) sum += face[i];
            double mean = sum / n;
            for (int i = c; i < face.Length; i += 3) squares += (face[i] - mean) * (face[i] - mean);
            // A flat channel (an empty frame) has nothing to standardise: the floor keeps it at 0, not NaN.
            float scale = (float)(1 / Math.Max(Math.Sqrt(squares / n), 1e-3));
            for (int i = c; i < face.Length; i += 3) face[i] = (float)((face[i] - mean) * scale);
        }
    }
}
