using Doppel.Media.Imaging;

namespace Doppel.Media.Tests.Support;

/// <summary>
/// PNGs written by ffmpeg in every pixel format and prediction mode the reader must handle, plus
/// ffmpeg's own rgb24 decoding of each, made once per test class. ffmpeg writes many outputs
/// (and reads many inputs) in one run, so the whole corpus costs a handful of processes instead
/// of two per case; on a loaded two-core machine that is most of this suite's time.
/// </summary>
public sealed class FfmpegPngCorpus : IDisposable
{
    public static readonly string[] PixelFormats = ["rgb24", "rgba", "gray", "ya8", "pal8", "rgb48be", "rgba64be", "gray16be", "ya16be"];
    public static readonly (int Width, int Height)[] Sizes = [(1, 1), (7, 3), (33, 5), (64, 64)];
    public static readonly string[] Predictions = ["none", "sub", "up", "avg", "paeth", "mixed"];
    public static readonly (int Width, int Height) PredictionSize = (37, 11);

    private readonly TempDirectory _temp = new();

    public FfmpegPngCorpus()
    {
        var encoded = new List<string>();
        foreach ((int w, int h) in Sizes)
        {
            var outputs = new List<string>();
            foreach (string format in PixelFormats)
            {
                string path = PngPath(format, w, h);
                outputs.AddRange(["-pix_fmt", format, "-frames:v", "1", "-update", "1", path]);
                encoded.Add(path);
            }
            EncodeMany(TestImages.Photo(w, h, seed: 5), outputs);
        }
        PredictionSource = TestImages.Noise(PredictionSize.Width, PredictionSize.Height, seed: 9);
        var predictionOutputs = new List<string>();
        foreach (string prediction in Predictions)
            predictionOutputs.AddRange(["-pix_fmt", "rgb24", "-pred", prediction, "-frames:v", "1", "-update", "1", PredictionPath(prediction)]);
        EncodeMany(PredictionSource, predictionOutputs);

        // ffmpeg's decoding of every colour-type file, all in one run.
        var decode = new List<string> { "-loglevel", "error", "-y" };
        foreach (string path in encoded) decode.AddRange(["-i", path]);
        for (int i = 0; i < encoded.Count; i++)
            decode.AddRange(["-map", $"{i}:v", "-f", "rawvideo", "-pix_fmt", "rgb24", encoded[i] + ".rgb"]);
        FfmpegCli.Run(decode.ToArray());
    }

    public RgbImage PredictionSource { get; }

    public string PngPath(string format, int width, int height) => _temp.File($"{format}_{width}x{height}.png");

    public string PredictionPath(string prediction) => _temp.File($"pred_{prediction}.png");

    public RgbImage FfmpegDecoding(string format, int width, int height) =>
        new(width, height, File.ReadAllBytes(PngPath(format, width, height) + ".rgb"));

    public void Dispose() => _temp.Dispose();

    private void EncodeMany(RgbImage image, List<string> outputs)
    {
        string raw = _temp.File($"source_{Guid.NewGuid():N}.rgb");
        File.WriteAllBytes(raw, image.Data);
        var args = new List<string> { "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{image.Width}x{image.Height}", "-i", raw };
        args.AddRange(outputs);
        FfmpegCli.Run(args.ToArray());
    }
}
