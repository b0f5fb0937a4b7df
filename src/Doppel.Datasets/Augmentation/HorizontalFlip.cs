namespace Doppel.Datasets.Augmentation;

/// <summary>Mirrors an interleaved size x size x channels image left-right, in place. Its own inverse.</summary>
public static class HorizontalFlip
{
    public static void Apply(Span<float> image, int size, int channels)
    {
        int row = size * channels;
        for (int y = 0; y < size; y++)
        {
            var r = image.Slice(y * row, row);
            for (int left = 0, right = size - 1; left < right; left++, right--)
                for (int c = 0; c < channels; c++)
                    (r[left * channels + c], r[right * channels + c]) = (r[right * channels + c], r[left * channels + c]);
        }
    }
}
