using Doppel.Media.Imaging;

namespace Doppel.Faces.Detection;

/// <summary>
/// MediaPipe's BlazeFace short-range detector on ONNX Runtime. The front model (128 px input)
/// is quick and suits faces that fill a good part of the frame, as in most footage that is
/// worth swapping; the back model (256 px) sees faces about half as large. In
/// <see cref="BlazeFaceMode.FrontThenBack"/> the back model runs only on frames where the front
/// one found nothing, so frames with a big face pay for the small model alone. The back model
/// is loaded on first need.
/// </summary>
public sealed class BlazeFaceDetector : IFaceDetector
{
    private readonly BlazeFaceOptions _options;
    private readonly Lazy<BlazeFaceNetwork>? _front;
    private readonly Lazy<BlazeFaceNetwork>? _back;

    public BlazeFaceDetector(BlazeFaceOptions? options = null)
    {
        _options = options ?? new BlazeFaceOptions();
        _options.Validate();
        if (_options.Mode != BlazeFaceMode.Back)
            _front = new Lazy<BlazeFaceNetwork>(() => new BlazeFaceNetwork(BlazeFaceModel.Front, _options.IntraOpThreads));
        if (_options.Mode != BlazeFaceMode.Front)
            _back = new Lazy<BlazeFaceNetwork>(() => new BlazeFaceNetwork(BlazeFaceModel.Back, _options.IntraOpThreads));
        // Load the first model now, so a missing package is reported before any frame is read.
        _ = (_front ?? _back)!.Value;
    }

    public string Name => _options.Mode switch
    {
        BlazeFaceMode.Front => "blazeface-front",
        BlazeFaceMode.Back => "blazeface-back",
        _ => "blazeface",
    };

    public IReadOnlyList<FaceDetection> Detect(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        List<FaceDetection> faces = [];
        if (_front != null)
            faces = _front.Value.Detect(image, _options.MinScore, _options.SuppressionIoU);
        if (faces.Count == 0 && _back != null)
            faces = _back.Value.Detect(image, _options.MinScore, _options.SuppressionIoU);
        return faces;
    }

    public void Dispose()
    {
        if (_front is { IsValueCreated: true }) _front.Value.Dispose();
        if (_back is { IsValueCreated: true }) _back.Value.Dispose();
    }
}
