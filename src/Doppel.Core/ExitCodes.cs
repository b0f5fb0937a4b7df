namespace Doppel.Core;

/// <summary>
/// The exit codes every Doppel command and library result speaks, defined once: 0 success, 1 an
/// expected failure (a <see cref="DoppelException"/>), 70 a bug, 130 a run stopped by Ctrl-C or
/// SIGTERM after saving what it had. Commands may add their own (verify: 2 for no manifest).
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    public const int ExpectedError = 1;

    /// <summary>sysexits' EX_SOFTWARE. Not 2: verify's documented codes are 0 valid, 1 invalid,
    /// 2 no manifest, and a crash must never read as "this file has no manifest".</summary>
    public const int InternalError = 70;

    /// <summary>128 + SIGINT, as shells report a process stopped by Ctrl-C.</summary>
    public const int Interrupted = 130;
}
