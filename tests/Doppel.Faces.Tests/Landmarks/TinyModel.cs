namespace Doppel.Faces.Tests.Landmarks;

/// <summary>
/// A two-landmark, one-cascade, one-tree model small enough to evaluate by hand:
/// mean shape (0.25, 0.5) and (0.75, 0.5); feature pixel 0 sits on landmark 0, pixel 1 on
/// landmark 1; the tree's single split goes left when pixel0 - pixel1 &gt; 10, and the left
/// leaf moves both points right by 0.1, the right leaf moves them left by 0.1.
/// </summary>
internal static class TinyModel
{
    public const float Threshold = 10;
    public const float Step = 0.1f;

    public static byte[] Serialise()
    {
        var w = new DlibWriter();
        w.Int(1);                                          // version
        w.ColumnVector(0.25f, 0.5f, 0.75f, 0.5f);          // initial shape
        w.Int(1);                                          // one cascade
        w.Int(1);                                          //   with one tree
        w.Int(1);                                          //     one split
        w.Int(0).Int(1).Float(Threshold);                  //       pixel0 - pixel1 > 10
        w.Int(2);                                          //     two leaves
        w.ColumnVector(Step, 0, Step, 0);                  //       left: move right
        w.ColumnVector(-Step, 0, -Step, 0);                //       right: move left
        w.Int(1).Int(2).Int(0).Int(1);                     // anchors: pixel0 on part 0, pixel1 on part 1
        w.Int(1).Int(2);                                   // deltas: both on their anchor
        w.Float(0).Float(0).Float(0).Float(0);
        return w.ToArray();
    }
}
