namespace Doppel.Swap.Training;

/// <summary>
/// How many iterations per second a training run will do on this machine now: a few real
/// iterations of the same model on the same face sets, in a throwaway folder that is deleted
/// afterwards. The demo sizes its learning-rate schedule with it (<see cref="TrainSettings.FittedTo"/>),
/// because its budget is wall time and the speed depends on the CPU and on what else runs.
/// </summary>
public static class TrainingRateProbe
{
    /// <summary>Iterations timed: the loop's rate leaves out the first (allocation, JIT), so this gives 5 timed steps.</summary>
    public const int Iterations = 6;

    /// <summary>
    /// Iterations per second of <paramref name="options"/>' model and batch. The first steps of a
    /// run are a little slower than later ones, so this errs low: a schedule sized with it ends
    /// slightly before the time does, and then holds its final rate.
    /// </summary>
    public static double IterationsPerSecond(TrainerOptions options, CancellationToken cancel = default)
    {
        string dir = options.ModelDir.TrimEnd(Path.DirectorySeparatorChar) + ".rate-probe";
        try
        {
            var result = new SwapTrainer(options with
            {
                ModelDir = dir,
                Resume = false,
                Iterations = Iterations,
                Duration = null,
                SaveEvery = 0,
                PreviewEvery = 0,
                Timelapse = false,
                SaveAtEnd = false,
                Log = TextWriter.Null,
            }).Run(cancel);
            return result.ExamplesPerSecond / (2.0 * options.Settings.BatchSize);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
