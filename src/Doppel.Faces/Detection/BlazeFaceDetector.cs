using Doppel.Media.Imaging;

namespace Doppel.Faces.Detection;

/// <summary>
/// MediaPipe's BlazeFace short-range detector on ONNX Runtime. The front model (128 px input)
/// is quick and suits faces that fill a good part of the frame, as in most footage that is
/// worth swapping; the back model (256 px) sees faces about half as large. In
/// <see cref="BlazeFaceMode.FrontThenBack"/> the back model runs only on frames where the front
/// one found nothing, so frames with a big face pay for the small model alone. The back model
/// is loaded on first need.
///
/// A <see cref="FaceSearch"/> with tiles (group photos) goes further: the whole frame through
/// every model the mode has, then overlapping tiles at finer and finer scales (the front model
/// when the mode has it), down to the smallest face asked for (<see cref="TilePlan"/>,
/// <see cref="TiledSearch"/>); every face it keeps must score
/// <see cref="BlazeFaceOptions.EveryScaleMinScore"/>. Everything found is merged with the same weighted suppression that merges one network's
/// anchors. A search for the largest face stops at the first scale that finds one.
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

    public IReadOnlyList<FaceDetection> Detect(RgbImage image, FaceSearch search)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(search);
        if (!search.Tiles) return Detect(image);
        float minScore = Math.Max(_options.MinScore, _options.EveryScaleMinScore);
        var found = new List<FaceDetection>();
        foreach (var network in new[] { _front, _back })
        {
            if (network is null) continue;
            found.AddRange(network.Value.Detect(image, minScore, _options.SuppressionIoU));
            if (found.Count > 0 && !search.AllFaces) return Merged(found);
        }
        // Tiles go through the front model: per area it costs what the back model costs, and
        // on the group photos it kept real and false faces further apart in score.
        var (tiler, model) = _front is not null ? (_front, BlazeFaceModel.Front) : (_back!, BlazeFaceModel.Back);
        foreach (TileLevel level in TilePlan.For(image.Width, image.Height, model.InputSize, model.SmallestFace, search.MinFaceSize))
        {
            found.AddRange(TiledSearch.Run(tiler.Value, image, level, minScore, _options.SuppressionIoU));
            if (found.Count > 0 && !search.AllFaces) break;
        }
        return Merged(found);
    }

    private List<FaceDetection> Merged(List<FaceDetection> found) =>
        found.Count > 1 ? WeightedNonMaxSuppression.Merge(found, _options.SuppressionIoU) : found;

    public void Dispose()
    {
        if (_front is { IsValueCreated: true }) _front.Value.Dispose();
        if (_back is { IsValueCreated: true }) _back.Value.Dispose();
    }
}
