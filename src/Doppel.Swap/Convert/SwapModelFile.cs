using Doppel.Core;
using Doppel.Swap.Models;
using Doppel.Swap.Training;
using Doppel.Tensors.IO;
using Doppel.Tensors.Nn;

namespace Doppel.Swap.Convert;

/// <summary>
/// A trained model folder opened for conversion: the latest checkpoint's spec and settings and
/// its weights in the <see cref="ISwapModel"/> the checkpoint's spec builds. The optimizer state is not read: conversion
/// never trains. The spec comes from the checkpoint itself, so models registered only in tests
/// (or renamed since) still load; weights that do not fit that spec (another input size, another
/// width) are reported with the model folder in the message.
/// </summary>
public sealed class SwapModelFile
{
    private SwapModelFile(string dir, string weights, CheckpointState state, ISwapModel model)
    {
        ModelDir = dir;
        WeightsPath = weights;
        State = state;
        Model = model;
    }

    public string ModelDir { get; }

    /// <summary>The weights file the model was loaded from (an ingredient of every output's label).</summary>
    public string WeightsPath { get; }
    public CheckpointState State { get; }
    public ISwapModel Model { get; }
    public ISwapModelSpec Spec => State.Spec;
    public int InputSize => State.Spec.InputSize;
    public double Coverage => State.Settings.Coverage;

    public static SwapModelFile Load(string modelDir)
    {
        if (!Directory.Exists(modelDir))
            throw new DoppelException($"model folder {modelDir} does not exist", "pass the folder `doppel train -o` wrote (it holds checkpoint/state.json)");
        var store = new CheckpointStore(modelDir);
        if (!store.Exists)
            throw new DoppelException($"{store.ModelDir} holds no trained model (no checkpoint/state.json)", "train one first: doppel train <faces A> <faces B> -o <model dir>");
        var (dir, state) = store.ReadLatest();
        // The mask branch is part of the weights only when the run learned it (settings.LearnMask).
        var model = state.Spec.Create(new Rng(0), state.Settings.LearnMask);
        try
        {
            SafeTensors.LoadInto(Path.Combine(dir, state.WeightsFile), model.Module.NamedParameters());
        }
        catch (DoppelException e)
        {
            throw new DoppelException($"the weights in {dir} do not fit its {state.Settings.Model} model ({state.Spec.InputSize} px): {e.Message}",
                "the checkpoint was written for a model of another size or width; retrain, or restore the folder from a backup", e);
        }
        return new SwapModelFile(store.ModelDir, Path.Combine(dir, state.WeightsFile), state, model);
    }
}
