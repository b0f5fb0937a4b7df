using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Tensors.Nn;

namespace Doppel.Datasets.Tests.Support;

/// <summary>
/// Small made-up face sets for fast tests: a coloured blob with darker "eyes" and "mouth" on a
/// gradient, different per person, with 68 landmarks laid out like dlib's (jaw, brows, nose,
/// eyes, mouth) so masks have real eye and mouth regions. Crops are written at the given size and
/// the source frame is the crop itself (identity matrix).
/// </summary>
public static class SyntheticFaceSets
{
    public static string Write(string folder, int count, int size, int person, bool landmarks = true)
    {
        var rng = new Rng((ulong)(100 + person));
        var faces = new List<FaceSetWriter.Face>();
        for (int i = 0; i < count; i++)
        {
            double jitter = (rng.NextDouble() - 0.5) * 0.06 * size;
            var points = Landmarks(size, jitter);
            faces.Add(new FaceSetWriter.Face(i, Draw(size, person, points, rng), landmarks ? points : null, AffineMatrix.Identity));
        }
        return FaceSetWriter.Write(folder, $"person{person}.mp4", faces);
    }

    public static float[] Landmarks(int size, double shift)
    {
        var p = new float[136];
        double c = size / 2.0 + shift, r = size * 0.3;
        void Set(int i, double x, double y) { p[2 * i] = (float)x; p[2 * i + 1] = (float)y; }
        for (int i = 0; i <= 16; i++) { double a = Math.PI * i / 16; Set(i, c - r * Math.Cos(a), c + r * 0.2 + r * Math.Sin(a) * 0.9); }
        for (int i = 17; i <= 26; i++) Set(i, c - r * 0.8 + (i - 17) * r * 1.6 / 9, c - r * 0.55);
        for (int i = 27; i <= 35; i++) Set(i, c + (i < 31 ? 0 : (i - 33) * r * 0.1), c - r * 0.4 + (i < 31 ? (i - 27) * r * 0.15 : r * 0.2));
        for (int e = 0; e < 2; e++)
            for (int k = 0; k < 6; k++)
            {
                double a = 2 * Math.PI * k / 6, ex = c + (e == 0 ? -1 : 1) * r * 0.4;
                Set(36 + 6 * e + k, ex + r * 0.15 * Math.Cos(a), c - r * 0.3 + r * 0.07 * Math.Sin(a));
            }
        for (int k = 0; k < 20; k++)
        {
            double a = 2 * Math.PI * (k % 12) / 12, scale = k < 12 ? 1 : 0.6;
            Set(48 + k, c + r * 0.35 * scale * Math.Cos(a), c + r * 0.45 + r * 0.12 * scale * Math.Sin(a));
        }
        return p;
    }

    private static RgbImage Draw(int size, int person, float[] lm, Rng rng)
    {
        var img = new RgbImage(size, size);
        double cx = 0, cy = 0;
        for (int i = 0; i < 68; i++) { cx += lm[2 * i]; cy += lm[2 * i + 1]; }
        cx /= 68; cy /= 68;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy) * 0.7) / size;
                bool face = d < 0.32;
                bool eye = Math.Abs(y - lm[2 * 37 + 1]) < size * 0.04 && (Math.Abs(x - lm[2 * 37]) < size * 0.06 || Math.Abs(x - lm[2 * 43]) < size * 0.06);
                bool mouth = Math.Abs(y - lm[2 * 51 + 1]) < size * 0.03 && Math.Abs(x - cx) < size * 0.1;
                int noise = rng.Next(12);
                byte r = (byte)(face ? (person == 0 ? 210 : 150) - (eye || mouth ? 120 : 0) + noise : 40 + x * 100 / size);
                byte g = (byte)(face ? (person == 0 ? 160 : 120) - (eye || mouth ? 90 : 0) + noise : 60 + y * 100 / size);
                byte b = (byte)(face ? (person == 0 ? 130 : 170) - (eye || mouth ? 80 : 0) + noise : 90);
                img.SetPixel(x, y, r, g, b);
            }
        return img;
    }
}
