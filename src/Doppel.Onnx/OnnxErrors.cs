using System.Text.RegularExpressions;
using Doppel.Core;
using Microsoft.ML.OnnxRuntime;

namespace Doppel.Onnx;

/// <summary>ONNX Runtime's failures as Doppel's expected error: what Doppel was doing, ORT's error code and ORT's own text.</summary>
internal static partial class OnnxErrors
{
    /// <summary>
    /// "ONNX Runtime could not run m.onnx (InvalidArgument): Got invalid dimensions ...". The
    /// managed API's message starts with "[ErrorCode:X] " (the code is not a public property);
    /// the code is said once, in parentheses.
    /// </summary>
    public static DoppelException Wrap(OnnxRuntimeException e, string action, string? hint = null)
    {
        var match = CodePrefix().Match(e.Message);
        string message = match.Success
            ? $"{action} ({match.Groups[1].Value}): {match.Groups[2].Value.Trim()}"
            : $"{action}: {e.Message.Trim()}";
        return new DoppelException(message, hint, e);
    }

    [GeneratedRegex(@"^\[ErrorCode:(\w+)\]\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex CodePrefix();
}
