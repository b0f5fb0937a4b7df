using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Doppel.Core;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Doppel.Swap.Convert.Output;

namespace Doppel.Swap.Convert;

/// <summary>
/// Decoding, converting and encoding overlap: a reader thread decodes the next batch of frames
/// while the current one converts, and a writer thread hands the previous one to the sinks
/// (ffmpeg encodes in its own process). At most two batches wait on each side, so memory stays
/// bounded whatever the video's length. The first failure anywhere stops all three and is the
/// one rethrown; cancellation surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class VideoPipeline(VideoReader reader, IReadOnlyList<IFrameSink> sinks, int batchSize, StageTimes<ConvertStage> times)
{
    private sealed record Batch(List<SourceFrame> Frames, List<RgbImage?> Sources);

    public void Run(Action<IReadOnlyList<SourceFrame>> convert, Action<int> written, CancellationToken cancel)
    {
        bool keepSource = sinks.Any(s => s.WantsSource);
        var decoded = new BlockingCollection<Batch>(boundedCapacity: 2);
        var converted = new BlockingCollection<Batch>(boundedCapacity: 2);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Exception? failure = null;
        void Fail(Exception e)
        {
            if (e is not OperationCanceledException || cancel.IsCancellationRequested) Interlocked.CompareExchange(ref failure, e, null);
            stop.Cancel();
        }

        var readThread = new Thread(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var batch = new Batch([], []);
                    while (batch.Frames.Count < batchSize)
                    {
                        var image = new RgbImage(reader.Info.Width, reader.Info.Height);
                        long t0 = StageTimes<ConvertStage>.Now;
                        long index = reader.Read(image);
                        times.AddSince(ConvertStage.Decode, t0);
                        if (index < 0) break;
                        batch.Frames.Add(new SourceFrame(reader.Info.Path, index, image));
                        batch.Sources.Add(keepSource ? image.Clone() : null);
                    }
                    if (batch.Frames.Count > 0) decoded.Add(batch, stop.Token);
                    if (batch.Frames.Count < batchSize) break;
                }
            }
            catch (Exception e) { Fail(e); }
            finally { decoded.CompleteAdding(); }
        }) { Name = "doppel convert decode", IsBackground = true };

        var writeThread = new Thread(() =>
        {
            try
            {
                foreach (Batch batch in converted.GetConsumingEnumerable(stop.Token))
                {
                    long t0 = StageTimes<ConvertStage>.Now;
                    for (int i = 0; i < batch.Frames.Count; i++)
                        foreach (IFrameSink sink in sinks) sink.Write(batch.Frames[i].Image, batch.Sources[i]);
                    times.AddSince(ConvertStage.Encode, t0);
                    written(batch.Frames.Count);
                }
            }
            catch (Exception e) { Fail(e); }
        }) { Name = "doppel convert encode", IsBackground = true };

        readThread.Start();
        writeThread.Start();
        try
        {
            foreach (Batch batch in decoded.GetConsumingEnumerable(stop.Token))
            {
                convert(batch.Frames);
                converted.Add(batch, stop.Token);
            }
        }
        catch (Exception e) { Fail(e); }
        finally
        {
            converted.CompleteAdding();
            writeThread.Join();
            if (stop.IsCancellationRequested) reader.Dispose(); // unblocks a read waiting on ffmpeg; nothing more is read
            readThread.Join();
        }
        if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
        cancel.ThrowIfCancellationRequested();
    }
}
