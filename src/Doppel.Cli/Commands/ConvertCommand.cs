using System.Runtime.InteropServices;
using Doppel.Cli.Options;
using Doppel.Core;
using Doppel.Swap.Convert;
using Doppel.Swap.Models;

namespace Doppel.Cli.Commands;

/// <summary>
/// <c>doppel convert &lt;video|image|folder&gt; --model DIR -o OUT</c>: parses options and handles
/// Ctrl-C / SIGTERM; the work is <see cref="ConvertJob"/> in Doppel.Swap (which bench and demo reuse).
/// </summary>
public sealed class ConvertCommand : ICommand
{
    private readonly Option<string?> output, model, alignments, sideBySide;
    private readonly Option<string> to, color, blend, smooth, mask, format;
    private readonly Option<double> erode, feather;
    private readonly Option<int> maxFrames, batch, threads;
    private readonly SigningOptions signing;

    public ConvertCommand()
    {
        output = Options.OptionalString("out", "output: a video file for a video, an image for an image, a folder for a folder", "path");
        Options.ShortAlias('o', output);
        model = Options.OptionalString("model", "the model folder doppel train wrote", "dir");
        to = Options.Choice("to", "b", ["a", "b"], "whose face to draw: b turns A's faces into B");
        color = Options.Choice("color", ConvertOptions.DefaultColor, ConvertPlugins.Color.Names, "colour matching of the new face to the frame");
        blend = Options.Choice("blend", "feather", ConvertPlugins.Blend.Names, "how the new face is blended into the frame");
        smooth = Options.Choice("smooth", "oneeuro", ConvertPlugins.Smoothing.Names, "temporal smoothing of the alignment against jitter");
        mask = Options.Choice("mask", "hull", Doppel.Swap.Convert.Masks.LearnedMask.Names, "blend mask: the landmark hull, or the model's own (learned: models trained with --learn-mask)");
        erode = Options.Double("erode", ConvertOptions.DefaultErodePercent, "shrink the face mask by this % of the face (negative grows it)", min: -25, max: 25);
        feather = Options.Double("feather", ConvertOptions.DefaultFeatherPercent, "soften the mask edge over this % of the face", min: 0, max: 25);
        alignments = Options.OptionalString("alignments", "reuse the faces of an alignments.json from doppel extract instead of detecting", "file");
        maxFrames = Options.Int("max-frames", 0, "stop after this many frames (0: all)", min: 0);
        format = Options.Choice("format", "mp4", ["mp4", "png"], "what a video becomes: mp4 (H.264 with the source's sound) or png (a folder of numbered lossless frames)");
        sideBySide = Options.OptionalString("side-by-side", "also write the source and the result side by side to this file (a folder for a folder input)", "path");
        batch = Options.Int("batch", 8, "video frames converted together (the model runs on all their faces at once)", min: 1, max: 256);
        signing = new SigningOptions(Options);
        threads = Options.Int("threads", Environment.ProcessorCount, "threads for finding, cutting and blending faces", min: 1, max: 256);
    }

    public string Name => "convert";
    public string Summary => "Swap the faces of a video, photo or folder with a trained model";
    public OptionSet Options { get; } = new("convert", maxPositionals: 1);

    public string Usage => """
        usage: doppel convert <video|image|folder> --model DIR -o OUT [--to a|b] [--color none|mean|gain|reinhard|hist] [--blend feather|poisson] [--smooth oneeuro|ema|none] [--mask hull|learned] [--erode 0] [--feather 6] [--alignments FILE] [--format mp4|png] [--side-by-side FILE] [--no-sign | --key KEY.pem --cert CERT.pem]

        For every frame: finds the face and its 68 landmarks (or reads them from --alignments),
        cuts the square the model was trained on, runs the shared encoder and the other person's
        decoder, matches colours, and blends the new face back through the inverse alignment
        with a feathered landmark mask. A video keeps its size, frame rate, frame count and sound
        (H.264 MP4; --format png writes a folder of numbered frames instead); frames without a
        face pass through unchanged. --side-by-side adds a second output with the source on the
        left and the result on the right. Frames are converted in batches: faces are found and
        blended on every core, and the model runs on a whole batch at once. The output appears
        only when complete: an error or Ctrl-C leaves nothing half-written. Every output is
        labelled with C2PA content credentials (compositeWithTrainedAlgorithmicMedia, the source
        and the model's weights as ingredients), signed with --key/--cert or the local key;
        check one with doppel verify.
        """ + "\n\n" + Options.Describe();

    public int Run(string[] args)
    {
        ParsedOptions parsed = Options.Parse(args);
        if (parsed.Positionals.Count != 1) throw new DoppelException("convert needs one input", "doppel convert <video|image|folder> --model DIR -o OUT");
        var options = new ConvertOptions
        {
            Input = parsed.Positionals[0],
            ModelDir = parsed.Get(model) ?? throw new DoppelException("convert needs a model", "add --model DIR (the folder doppel train wrote)"),
            Output = parsed.Get(output) ?? throw new DoppelException("convert needs an output", "add -o OUT"),
            To = parsed.Get(to) == "a" ? Side.A : Side.B,
            Color = parsed.Get(color),
            Blend = parsed.Get(blend),
            Smoothing = parsed.Get(smooth),
            Mask = parsed.Get(mask),
            ErodePercent = parsed.Get(erode),
            FeatherPercent = parsed.Get(feather),
            Alignments = parsed.Get(alignments),
            MaxFrames = parsed.Get(maxFrames),
            Format = parsed.Get(format) == "png" ? OutputFormat.Png : OutputFormat.Mp4,
            SideBySide = parsed.Get(sideBySide),
            BatchSize = parsed.Get(batch),
            Threads = parsed.Get(threads),
        };
        using var identity = signing.Open(parsed);
        options = options with { Sign = identity is not null, Identity = identity };
        // Ctrl-C / SIGTERM stop after the current frame; the unfinished output is deleted.
        using var stop = new StopRequest();
        try
        {
            new ConvertJob(options).Run(stop.Token);
            return CliApp.ExitOk;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("convert: interrupted; no output was written");
            return CliApp.ExitInterrupted;
        }
    }
}
