using Doppel.Faces.Detection;

namespace Doppel.Faces.Tests.Detection;

public class TilePlanTests
{
    [Fact]
    public void A_video_frame_needs_no_tiles_when_the_whole_frame_reaches_the_smallest_face()
    {
        // 16 px of a 256 px input is 22.5 px of a 360 px frame: below the 32 px asked for.
        Assert.Empty(TilePlan.For(360, 288, tile: 256, smallestFace: 16, minFaceSize: 32));
    }

    [Fact]
    public void Each_level_doubles_the_scale_and_the_last_reaches_the_smallest_face_exactly()
    {
        var levels = TilePlan.For(4000, 3000, tile: 256, smallestFace: 16, minFaceSize: 20);
        double whole = 256.0 / 4000;
        Assert.Equal([whole * 2, whole * 4, whole * 8], levels.Take(3).Select(l => l.Scale));
        Assert.Equal(16.0 / 20, levels[^1].Scale, 9);
        Assert.Equal(4, levels.Count);
        Assert.Equal((3200, 2400), (levels[^1].Width, levels[^1].Height));
    }

    [Fact]
    public void Tiny_minimum_sizes_stop_at_twice_the_size()
    {
        var levels = TilePlan.For(300, 200, tile: 256, smallestFace: 16, minFaceSize: 0);
        Assert.Equal(TilePlan.MaxScale, levels[^1].Scale, 9);
        Assert.Equal((600, 400), (levels[^1].Width, levels[^1].Height));
    }

    [Theory]
    [InlineData(4000, 3000, 20)]
    [InlineData(1920, 1080, 24)]
    [InlineData(1200, 1600, 20)]
    [InlineData(700, 257, 10)]
    [InlineData(5000, 300, 16)]
    public void Tiles_cover_every_level_and_hold_every_face_up_to_half_a_tile(int width, int height, double minFaceSize)
    {
        const int tile = 256;
        var random = new Random(width + height);
        foreach (TileLevel level in TilePlan.For(width, height, tile, smallestFace: 16, minFaceSize))
        {
            Assert.All(level.Tiles, t =>
            {
                Assert.InRange(t.X, 0, level.Width - 1);
                Assert.InRange(t.Y, 0, level.Height - 1);
                Assert.True(t.Right <= level.Width && t.Bottom <= level.Height);
                Assert.Equal(Math.Min(tile, level.Width), t.Width);
                Assert.Equal(Math.Min(tile, level.Height), t.Height);
            });
            // Any square face of up to half a tile, anywhere in the level, lies wholly in a tile.
            for (int n = 0; n < 2000; n++)
            {
                int side = random.Next(1, Math.Min(tile / 2, Math.Min(level.Width, level.Height)) + 1);
                int x = random.Next(level.Width - side + 1), y = random.Next(level.Height - side + 1);
                Assert.Contains(level.Tiles, t => t.X <= x && x + side <= t.Right && t.Y <= y && y + side <= t.Bottom);
            }
        }
    }
}
