namespace Doppel.Swap.Identity;

/// <summary>
/// The identity classifier on held-out real faces of A and B, as they are and altered
/// (<see cref="IdentityStress"/>): what must hold before its verdict on converted faces means
/// anything. <see cref="Accuracy"/> is the share of plain real faces called as who they are.
/// </summary>
public sealed record IdentityCheck(
    IdentityTally RealA, IdentityTally RealB,
    IdentityTally BlurredA, IdentityTally BlurredB,
    IdentityTally ShiftedA, IdentityTally ShiftedB,
    IdentityTally SeamedA,
    IdentityTally Blends)
{
    public double Accuracy => (double)(RealA.A + RealB.B) / Math.Max(1, RealA.Count + RealB.Count);

    public static IdentityCheck Run(IdentityJudge judge, IReadOnlyList<float[]> a, IReadOnlyList<float[]> b) => new(
        judge.Judge(a), judge.Judge(b),
        judge.Judge(IdentityStress.Blurred(a)), judge.Judge(IdentityStress.Blurred(b)),
        judge.Judge(IdentityStress.ColourShifted(a, b)), judge.Judge(IdentityStress.ColourShifted(b, a)),
        judge.Judge(IdentityStress.Seamed(a)),
        judge.Judge(IdentityStress.HalfAndHalf(a, b)));

    /// <summary>The report's lines, one per check.</summary>
    public IEnumerable<string> Lines()
    {
        string Pct(int k, int n) => FormattableString.Invariant($"{k}/{n} ({100.0 * k / Math.Max(1, n):F1}%)");
        yield return FormattableString.Invariant($"held-out accuracy on real crops {100 * Accuracy:F1}%: A called A {Pct(RealA.A, RealA.Count)}, B called B {Pct(RealB.B, RealB.Count)}");
        yield return FormattableString.Invariant($"blurred (sigma {IdentityStress.BlurSigma} px at {IdentityInput.Size} px): A called A {Pct(BlurredA.A, BlurredA.Count)}, B called B {Pct(BlurredB.B, BlurredB.Count)}");
        yield return $"colour-shifted (each given the other's colouring): A called A {Pct(ShiftedA.A, ShiftedA.Count)}, B called B {Pct(ShiftedB.B, ShiftedB.Count)}";
        yield return FormattableString.Invariant($"A pasted back with a hard square seam (a blurred {IdentityStress.SeamSquare:P0} square, bluish outline): A called A {Pct(SeamedA.A, SeamedA.Count)}, called B {Pct(SeamedA.B, SeamedA.Count)}");
        yield return $"50/50 blends of A and B: {Blends}";
    }
}
