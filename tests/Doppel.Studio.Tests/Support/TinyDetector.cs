using Doppel.Datasets.Tests.Support;
using Doppel.Forensics.Model;
using Doppel.Forensics.Training;

namespace Doppel.Studio.Tests.Support;

/// <summary>
/// A fake detector the tests train themselves (independent of the shipped one): Doppel.Forensics' own
/// trainer, as <c>doppel detect train</c> runs it, for a few iterations of a 32 px, width-4
/// network on synthetic face sets (twelve made-up people, two faces each, so the split by
/// source holds some out for the threshold). It has learnt next to nothing; the tests need a
/// real model file that <c>doppel detect --model</c> loads, not a good detector. A few seconds.
/// </summary>
public static class TinyDetector
{
    public static string Train(string folder)
    {
        var sets = Enumerable.Range(0, 12)
            .Select(person => SyntheticFaceSets.Write(Path.Combine(folder, "facesets", $"person{person}"), count: 2, size: 64, person: person))
            .ToList();
        var result = DetectorTrainer.Run(new DetectorTrainerOptions
        {
            FaceSets = sets,
            RunDir = Path.Combine(folder, "run"),
            Settings = new DetectorSettings { Spec = new DetectorSpec { InputSize = 32, Width = 4 }, Batch = 4, H264Probability = 0, Seed = 3 },
            Iterations = 6,
            SaveEvery = 0,
            PreviewEvery = 0,
            Name = "tiny-studio-test",
            Log = TextWriter.Null,
        });
        return result.ModelPath;
    }
}
