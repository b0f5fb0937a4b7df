using System.Globalization;

namespace Doppel.Media.Video;

/// <summary>
/// A frame rate as ffmpeg states it, e.g. 30000/1001 for NTSC: kept exact so a written video
/// gets precisely the source's rate back, and as a double for arithmetic.
/// </summary>
public readonly record struct Rational(long Numerator, long Denominator)
{
    public double Value => Denominator == 0 ? double.NaN : (double)Numerator / Denominator;

    public bool IsValid => Numerator > 0 && Denominator > 0;

    /// <summary>Parses "24/1", "30000/1001" or "25"; returns null for "0/0", "N/A" and garbage.</summary>
    public static Rational? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string[] parts = text.Split('/', ':');
        if (parts.Length > 2) return null;
        if (!long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long num)) return null;
        long den = 1;
        if (parts.Length == 2 && !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out den)) return null;
        var r = new Rational(num, den);
        return r.IsValid ? r.Reduced() : null;
    }

    public Rational Reduced()
    {
        long g = Gcd(Math.Abs(Numerator), Math.Abs(Denominator));
        return g <= 1 ? this : new Rational(Numerator / g, Denominator / g);
    }

    /// <summary>"num/den", the form ffmpeg's options take.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
