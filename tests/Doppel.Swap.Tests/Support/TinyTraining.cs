using Doppel.Swap.Training;

namespace Doppel.Swap.Tests.Support;

/// <summary>
/// Trainer options for the tiny model on two synthetic face sets (12 and 10 faces of 32 px) made
/// once per temp folder under a/ and b/, so a test's straight and resumed runs share the data.
/// </summary>
public static class TinyTraining
{
    public static TrainerOptions Options(TempDir dir, string model, long iterations, TrainSettings settings, bool landmarks = true) => new()
    {
        FaceSetA = FaceSet(dir.Sub("a"), 12, 0, landmarks),
        FaceSetB = FaceSet(dir.Sub("b"), 10, 1, landmarks),
        ModelDir = dir.Sub(model),
        Settings = settings,
        Models = TinyModels.Registry,
        Iterations = iterations,
        SaveEvery = 0,
        PreviewEvery = 0,
        Log = TextWriter.Null,
    };

    private static string FaceSet(string folder, int count, int person, bool landmarks) =>
        File.Exists(Path.Combine(folder, "alignments.json")) ? folder : SyntheticFaceSets.Write(folder, count, 32, person, landmarks);
}
