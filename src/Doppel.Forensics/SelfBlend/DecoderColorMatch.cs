namespace Doppel.Forensics.SelfBlend;

/// <summary>
/// How a decoder-like paste's copy is coloured to fit the face it is pasted on, one per way
/// <c>doppel convert</c> (and other swap tools) fit a decoder's face into a frame.
/// </summary>
public enum DecoderColorMatch
{
    /// <summary>The mean colour inside the mask shifted to the target's (convert --color mean, Reinhard-like).</summary>
    Mean,

    /// <summary>Each channel scaled so its mean inside the mask is the target's (convert --color gain): keeps the face's contrast.</summary>
    Gain,

    /// <summary>
    /// The target's low frequencies taken over, the copy's detail kept: what Poisson cloning
    /// (convert --blend poisson) does, which leaves no colour seam at the edge, only softness inside.
    /// </summary>
    LowFrequency,
}

public static class DecoderColorMatches
{
    private static readonly string[] names = ["mean", "gain", "lowfreq"]; // in the enum's order

    public static IReadOnlyList<string> Names => names;

    public static string Name(DecoderColorMatch match) => Names[(int)match];

    /// <summary>Parses a comma-separated list such as <c>mean,gain,lowfreq</c>.</summary>
    public static IReadOnlyList<DecoderColorMatch> Parse(string list)
    {
        var parsed = new List<DecoderColorMatch>();
        foreach (string part in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int index = Array.IndexOf(names, part.ToLowerInvariant());
            if (index < 0) throw new Core.DoppelException($"unknown decoder colour match '{part}'", $"use a comma-separated list of {string.Join(", ", Names)}, e.g. --decoder-color mean,gain");
            if (!parsed.Contains((DecoderColorMatch)index)) parsed.Add((DecoderColorMatch)index);
        }
        if (parsed.Count == 0) throw new Core.DoppelException("no decoder colour match given", $"use a comma-separated list of {string.Join(", ", Names)}");
        return parsed;
    }

    public static string Format(IReadOnlyList<DecoderColorMatch> matches) => string.Join(",", matches.Select(Name));
}
