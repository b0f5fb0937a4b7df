using Doppel.Core;
using Doppel.Forensics.Model;
using Doppel.Forensics.SelfBlend;
using Doppel.Forensics.Training;
using Doppel.Swap.Tests.Support;

namespace Doppel.Forensics.Tests.Training;

/// <summary>detect train end to end on real face sets in the extract layout: split, training, calibration, the model file.</summary>
public class DetectorTrainerTests
{
    [Fact]
    public void TrainingWritesACalibratedModelThatLoadsBack()
    {
        using var dir = new TempDir();
        var (franck, cap12) = RealFaceSets.Build(dir.Sub("sets"));
        var options = new DetectorTrainerOptions
        {
            FaceSets = [franck, cap12],
            RunDir = dir.Sub("run"),
            Settings = new DetectorSettings
            {
                Spec = new DetectorSpec { InputSize = 32, Width = 4 }, Batch = 4, H264Probability = 0, TargetFpr = 0.1,
                DecoderPaste = 0.5, DecoderColors = [DecoderColorMatch.Gain, DecoderColorMatch.LowFrequency], DecoderMinDownscale = 1.5, DecoderContrast = 0.5,
            },
            Iterations = 6,
            PreviewEvery = 3,
            Name = "test-detector",
            Command = "doppel detect train (test)",
            Log = TextWriter.Null,
        };
        var result = DetectorTrainer.Run(options);
        Assert.Equal(6, result.Training.Iteration);
        var model = DetectorModel.Load(options.RunDir); // the run folder works as --model
        Assert.Equal("test-detector", model.Name);
        Assert.Equal(12, model.Version.Length);
        Assert.True(model.ThresholdFpr <= 0.1, $"the threshold flags {model.ThresholdFpr} of the held-out reals");
        Assert.Equal("doppel detect train (test)", model.Info["training"]!["command"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(options.RunDir, "model.json")));
        Assert.True(File.Exists(Path.Combine(options.RunDir, "validation.csv")));
        var settings = model.Info["training"]!["settings"]!;
        Assert.Equal("gain,lowfreq", settings["decoderColors"]!.GetValue<string>()); // the recipe is recorded with the model
        Assert.Equal(1.5, settings["decoderMinDownscale"]!.GetValue<double>());
        Assert.Equal(0.5, settings["decoderContrast"]!.GetValue<double>());
        var data = model.Info["training"]!["data"]!["faceSets"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.True(data.Sum(s => s!["heldOut"]!.GetValue<int>()) >= 6, "every 5th segment of 60 faces in their own segments");
    }

    [Fact]
    public void CalibrationOnPeopleItNeverTrainedOnSetsTheThresholdOnTheirFaces()
    {
        using var dir = new TempDir();
        var (franck, cap12) = RealFaceSets.Build(dir.Sub("sets"));
        var options = new DetectorTrainerOptions
        {
            FaceSets = [cap12],
            CalibrationSets = [franck],
            RunDir = dir.Sub("run"),
            Settings = new DetectorSettings { Spec = new DetectorSpec { InputSize = 32, Width = 4 }, Batch = 4, H264Probability = 0, TargetFpr = 0.1, PoseJitter = 0.8 },
            Iterations = 4,
            PreviewEvery = 0,
            Log = TextWriter.Null,
        };
        DetectorTrainer.Run(options);
        var model = DetectorModel.Load(options.RunDir);
        // The threshold is franck's: at most 10% of his faces above it, and exactly the rate recorded.
        var faces = CalibrationFaces.Load([franck], model.Spec).Faces;
        var scores = FaceScorer.Score(model, faces).Select(s => s.Score).ToList();
        double flagged = scores.Count(s => s >= model.Threshold) / (double)scores.Count;
        Assert.True(flagged <= 0.1, $"{flagged} of the calibration faces at or above the threshold");
        Assert.Equal(flagged, model.ThresholdFpr!.Value, 12);
        Assert.Contains("never trained on", model.Info["calibration"]!.GetValue<string>());
        Assert.InRange(model.Info["heldOutTrainingPeopleFpr"]!.GetValue<double>(), 0, 1);
        var calibrationSet = model.Info["calibrationSets"]!.AsArray().Single()!;
        Assert.Equal(faces.Count, calibrationSet["faces"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(calibrationSet["fingerprint"]!.GetValue<string>()));
        Assert.Equal(0.8, model.Info["training"]!["settings"]!["poseJitter"]!.GetValue<double>());
    }

    [Fact]
    public void AMissingCalibrationFolderFailsBeforeTraining()
    {
        using var dir = new TempDir();
        var (_, cap12) = RealFaceSets.Build(dir.Sub("sets"));
        var e = Assert.Throws<DoppelException>(() => DetectorTrainer.Run(new DetectorTrainerOptions
        {
            FaceSets = [cap12], CalibrationSets = [dir.Sub("nowhere")], RunDir = dir.Sub("run"), Iterations = 1000,
            Settings = new DetectorSettings { Spec = new DetectorSpec { InputSize = 32, Width = 4 }, Batch = 4 }, Log = TextWriter.Null,
        }));
        Assert.Contains("nowhere", e.Message);
        Assert.False(File.Exists(Path.Combine(dir.Sub("run"), "model.safetensors")));
    }

    [Fact]
    public void TheFirstDecoderRecipeIsNotWrittenSoOlderCheckpointsResumeAndBadOnesAreRefused()
    {
        Assert.False(new DetectorSettings().HasDecoderRecipe); // settings are compared on resume: a new key would refuse old checkpoints
        Assert.True(new DetectorSettings { DecoderColors = [DecoderColorMatch.Mean, DecoderColorMatch.Gain] }.HasDecoderRecipe);
        Assert.True(new DetectorSettings { DecoderMinDownscale = 1.5 }.HasDecoderRecipe);
        Assert.Throws<DoppelException>(() => new DetectorSettings { DecoderMinDownscale = 0.5 }.Validate());
        Assert.Throws<DoppelException>(() => new DetectorSettings { DecoderColors = [] }.Validate());
        Assert.True(new DetectorSettings { DecoderContrast = 0.5 }.HasDecoderRecipe);
        Assert.Throws<DoppelException>(() => new DetectorSettings { DecoderContrast = 1.5 }.Validate());
    }

    [Fact]
    public void TooFewFramesToHoldOutIsRefusedWithAHint()
    {
        using var dir = new TempDir();
        // 12 frames all in one 48-frame segment: nothing can be held out whole.
        string set = SyntheticFaceSets.Write(dir.Sub("set"), 12, 64, person: 1);
        var e = Assert.Throws<DoppelException>(() => DetectorTrainer.Run(new DetectorTrainerOptions
        {
            FaceSets = [set], RunDir = dir.Sub("run"), Iterations = 1, Log = TextWriter.Null,
            Settings = new DetectorSettings { Spec = new DetectorSpec { InputSize = 32, Width = 4 }, H264Probability = 0 },
        }));
        Assert.Contains("held out", e.Message);
        Assert.NotNull(e.Hint);
    }
}
