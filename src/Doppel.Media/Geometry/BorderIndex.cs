namespace Doppel.Media.Geometry;

/// <summary>Maps an out-of-range pixel index back into [0, length) for a border mode (-1 = use the fill value).</summary>
internal static class BorderIndex
{
    public static int Resolve(int i, int length, BorderMode mode)
    {
        if ((uint)i < (uint)length) return i;
        switch (mode)
        {
            case BorderMode.Replicate:
                return i < 0 ? 0 : length - 1;
            case BorderMode.Reflect:
                if (length == 1) return 0;
                int period = 2 * length - 2;
                int m = i % period;
                if (m < 0) m += period;
                return m < length ? m : period - m;
            default:
                return -1;
        }
    }
}
