using Doppel.Core;

namespace Doppel.Onnx.Tests;

/// <summary>The binding on a real model (BlazeFace front, 128x128): signature, outputs, errors from ORT.</summary>
public class OnnxSessionTests
{
    private static OnnxTensor Image(int size, float value = 0f, int seed = 0)
    {
        var data = new float[size * size * 3];
        if (seed == 0) Array.Fill(data, value);
        else
        {
            var rng = new Random(seed);
            for (int i = 0; i < data.Length; i++) data[i] = rng.NextSingle() * 2 - 1;
        }
        return new OnnxTensor(data, 1, size, size, 3);
    }

    [Fact]
    public void Open_ReadsTheDeclaredInputsAndOutputs()
    {
        using var session = OnnxSession.Open(TestModels.BlazeFaceFront);
        var input = Assert.Single(session.Inputs);
        Assert.Equal("input:0", input.Name);
        Assert.Equal(OnnxElementType.Float, input.ElementType);
        Assert.True(input.IsTensor);
        Assert.Equal([1L, 128, 128, 3], input.Shape);

        Assert.Equal(["Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"], session.Outputs.Select(o => o.Name));
        Assert.Equal([1L, 512, 1], session.Outputs[0].Shape);
        Assert.Equal([1L, 384, 1], session.Outputs[1].Shape);
        Assert.Equal([1L, 512, 16], session.Outputs[2].Shape);
        Assert.Equal([1L, 384, 16], session.Outputs[3].Shape);
    }

    [Theory]
    [InlineData(false, 128)]
    [InlineData(true, 256)]
    public void Run_ReturnsEveryOutputWithItsDeclaredShape(bool back, int size)
    {
        using var session = OnnxSession.Open(back ? TestModels.BlazeFaceBack : TestModels.BlazeFaceFront);
        var result = session.Run("input:0", Image(size, seed: 1));
        Assert.Equal(session.Outputs.Count, result.Count);
        foreach (var output in session.Outputs)
        {
            var tensor = result[output.Name];
            Assert.Equal(output.Shape, tensor.Shape);
            Assert.All(tensor.Data, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void Run_IsDeterministicAndDependsOnTheInput()
    {
        using var session = OnnxSession.Open(TestModels.BlazeFaceFront);
        var a = session.Run("input:0", Image(128, seed: 7))["Identity_2:0"].Data;
        var b = session.Run("input:0", Image(128, seed: 7))["Identity_2:0"].Data;
        var c = session.Run("input:0", Image(128, seed: 8))["Identity_2:0"].Data;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Run_CanPickOutputs()
    {
        using var session = OnnxSession.Open(TestModels.BlazeFaceFront);
        var result = session.Run(new Dictionary<string, OnnxTensor> { ["input:0"] = Image(128) }, ["Identity_3:0"]);
        Assert.Equal("Identity_3:0", Assert.Single(result).Key);
    }

    [Fact]
    public void Run_WithAWrongShape_ReportsOrtsOwnMessage()
    {
        using var session = OnnxSession.Open(TestModels.BlazeFaceFront);
        var e = Assert.Throws<DoppelException>(() => session.Run("input:0", Image(64)));
        // ORT's text names the input, the bad index and both sizes.
        Assert.Contains("ONNX Runtime could not run face_detection_front_128x128_barracuda.onnx", e.Message);
        Assert.Contains("invalid dimensions", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("input:0", e.Message);
        Assert.Contains("Got: 64", e.Message);
        Assert.Contains("Expected: 128", e.Message);
    }

    [Fact]
    public void Run_WithAnUnknownInputName_ReportsOrtsOwnMessage()
    {
        using var session = OnnxSession.Open(TestModels.BlazeFaceFront);
        var e = Assert.Throws<DoppelException>(() => session.Run("image", Image(128)));
        Assert.Contains("image", e.Message);
        Assert.Contains("InvalidArgument", e.Message);
    }

    [Fact]
    public void Run_WithAnUnknownOutputName_ReportsOrtsOwnMessage()
    {
        using var session = OnnxSession.Open(TestModels.BlazeFaceFront);
        var e = Assert.Throws<DoppelException>(() =>
            session.Run(new Dictionary<string, OnnxTensor> { ["input:0"] = Image(128) }, ["scores"]));
        Assert.Contains("scores", e.Message);
    }

    [Fact]
    public void Run_FromSeveralThreadsAtOnce_GivesTheSameResults()
    {
        using var session = OnnxSession.Open(TestModels.BlazeFaceFront, new OnnxSessionOptions { IntraOpThreads = 2 });
        var expected = session.Run("input:0", Image(128, seed: 3))["Identity:0"].Data;
        var results = new float[8][];
        Parallel.For(0, results.Length, i => results[i] = session.Run("input:0", Image(128, seed: 3))["Identity:0"].Data);
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public async Task Dispose_WhileOtherThreadsRun_LetsTheirRunsFinish()
    {
        var session = OnnxSession.Open(TestModels.BlazeFaceFront);
        var input = Image(128, seed: 5);
        var expected = session.Run("input:0", input)["Identity:0"].Data;
        int finished = 0, refused = 0;
        using var started = new CountdownEvent(2);
        var runners = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            started.Signal();
            for (int i = 0; i < 200; i++)
            {
                try
                {
                    Assert.Equal(expected, session.Run("input:0", input)["Identity:0"].Data);
                    Interlocked.Increment(ref finished);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }
            }
        })).ToArray();
        started.Wait();
        Thread.Sleep(20);
        session.Dispose(); // runs in progress complete with correct results; later ones are refused
        await Task.WhenAll(runners);
        Assert.True(finished > 0 && refused > 0, $"{finished} runs finished, {refused} refused");
    }

    [Fact]
    public void Run_AfterDispose_Throws()
    {
        var session = OnnxSession.Open(TestModels.BlazeFaceFront);
        session.Dispose();
        session.Dispose(); // twice is fine
        Assert.Throws<ObjectDisposedException>(() => session.Run("input:0", Image(128)));
    }

    [Fact]
    public void Open_AMissingFile_SaysWhichFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"doppel-missing-{Guid.NewGuid():N}.onnx");
        var e = Assert.Throws<DoppelException>(() => OnnxSession.Open(path));
        Assert.Contains("not found", e.Message);
        Assert.Contains(path, e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Open_AFileThatIsNotAModel_ReportsOrtsOwnMessage()
    {
        string path = Path.Combine(Path.GetTempPath(), $"doppel-not-a-model-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not protobuf\n");
        try
        {
            var e = Assert.Throws<DoppelException>(() => OnnxSession.Open(path));
            Assert.Contains("could not load the model", e.Message);
            Assert.Contains("InvalidProtobuf", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Options_RejectANegativeThreadCount()
    {
        var e = Assert.Throws<DoppelException>(() =>
            OnnxSession.Open(TestModels.BlazeFaceFront, new OnnxSessionOptions { IntraOpThreads = -1 }));
        Assert.Contains("-1", e.Message);
    }

    [Fact]
    public void Runtime_ReportsItsVersion() => Assert.Equal("1.31.1", OnnxRuntime.Version);
}
