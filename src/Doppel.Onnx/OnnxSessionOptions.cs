using Doppel.Core;
using Microsoft.ML.OnnxRuntime;

namespace Doppel.Onnx;

/// <summary>How a session runs.</summary>
public sealed record OnnxSessionOptions
{
    public static readonly OnnxSessionOptions Default = new();

    /// <summary>
    /// Threads one operator may use; 0 lets ORT pick (one per physical core). The default is 1:
    /// Doppel's pipelines already keep every core busy with frames of their own, and ORT's
    /// spinning pool threads then only steal time from them. Small models such as BlazeFace
    /// gain little from more threads anyway.
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    internal void Validate()
    {
        if (IntraOpThreads < 0)
            throw new DoppelException($"ONNX intra-op thread count must be 0 (automatic) or more, got {IntraOpThreads}");
    }

    /// <summary>ORT's own options for a session; the caller disposes them once the session is made.</summary>
    internal SessionOptions ToOrt() => new()
    {
        IntraOpNumThreads = IntraOpThreads,
        // Doppel's models are single chains of operators: a second pool for parallel branches
        // would only add idle threads.
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };
}
