using Doppel.Faces.Detection;
using Doppel.Onnx;

namespace Doppel.Faces.Tests.Detection;

/// <summary>Decoding on hand-made outputs: one anchor fires, its regressors give a known box.</summary>
public class BlazeFaceDecoderTests
{
    private static Dictionary<string, OnnxTensor> Outputs(int anchor, float logit, float[] regressors)
    {
        var s0 = new float[512];
        var s1 = new float[384];
        Array.Fill(s0, -10f);
        Array.Fill(s1, -10f);
        var b0 = new float[512 * 16];
        var b1 = new float[384 * 16];
        if (anchor < 512)
        {
            s0[anchor] = logit;
            regressors.CopyTo(b0, anchor * 16);
        }
        else
        {
            s1[anchor - 512] = logit;
            regressors.CopyTo(b1, (anchor - 512) * 16);
        }
        return new()
        {
            ["Identity:0"] = new(s0, 1, 512, 1), ["Identity_1:0"] = new(s1, 1, 384, 1),
            ["Identity_2:0"] = new(b0, 1, 512, 16), ["Identity_3:0"] = new(b1, 1, 384, 16),
        };
    }

    [Fact]
    public void OneFiringAnchor_GivesItsBoxRelativeToTheAnchorCentre()
    {
        var model = BlazeFaceModel.Front;
        float[] anchors = BlazeFaceAnchors.Centers(model);
        // Anchor 520: coarse map, cell (col 1, row 0); centre (1.5/8, 0.5/8) = (24, 8) px.
        var r = new float[16];
        r[0] = 8; r[1] = 16; r[2] = 32; r[3] = 64; // centre +8, +16 px; 32 x 64 px
        r[4] = -4; r[5] = 2; // first keypoint
        var found = BlazeFaceDecoder.Decode(model, anchors, Outputs(520, 2f, r), minScore: 0.5f);

        var c = Assert.Single(found);
        Assert.Equal(1 / (1 + MathF.Exp(-2f)), c.Score, 6);
        Assert.Equal((32f - 16) / 128, c.XMin, 6);
        Assert.Equal((24f - 32) / 128, c.YMin, 6);
        Assert.Equal((32f + 16) / 128, c.XMax, 6);
        Assert.Equal((24f + 32) / 128, c.YMax, 6);
        Assert.Equal(20f / 128, c.Coords[4], 6);
        Assert.Equal(10f / 128, c.Coords[5], 6);
        Assert.Equal(24f / 128, c.Coords[6], 6); // a zero offset is the anchor centre
    }

    [Theory]
    [InlineData(0.1f, 0.6f, 0)]
    [InlineData(0.1f, 0.4f, 1)]
    [InlineData(1000f, 0.99f, 1)] // clipped to 100, still a score of 1
    public void TheScoreThreshold_AppliesToTheSigmoid(float logit, float minScore, int expected)
    {
        var model = BlazeFaceModel.Front;
        var found = BlazeFaceDecoder.Decode(model, BlazeFaceAnchors.Centers(model), Outputs(3, logit, new float[16]), minScore);
        Assert.Equal(expected, found.Count);
    }
}
