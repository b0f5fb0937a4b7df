namespace Doppel.Tensors.Autograd;

/// <summary>
/// Whether ops record history for backward. Off inside <c>using (GradMode.Off())</c>, for
/// inference and optimizer updates, where recording would only cost memory.
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    public static bool Enabled => _disabledDepth == 0;

    public static IDisposable Off()
    {
        _disabledDepth++;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            _disabledDepth--;
        }
    }
}
