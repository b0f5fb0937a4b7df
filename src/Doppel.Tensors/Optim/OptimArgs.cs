namespace Doppel.Tensors.Optim;

/// <summary>Hyperparameter checks shared by the optimisers and schedules (programming errors, so ArgumentException).</summary>
internal static class OptimArgs
{
    public static void NonNegative(double value, string what)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(what, value, $"{what} must be a finite number >= 0");
    }

    public static void Beta(double value, string what)
    {
        if (!(value >= 0 && value < 1)) throw new ArgumentOutOfRangeException(what, value, $"{what} must be in [0, 1)");
    }

    public static void Positive(long value, string what)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(what, value, $"{what} must be at least 1");
    }
}
