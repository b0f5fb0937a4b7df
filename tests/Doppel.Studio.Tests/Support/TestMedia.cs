using Doppel.Core;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Provenance;
using Doppel.Provenance.Cose;

namespace Doppel.Studio.Tests.Support;

/// <summary>Small files the tests check: a made-up picture (no person in it), signed by Doppel or not.</summary>
public static class TestMedia
{
    /// <summary>A 48x32 gradient with a disc: an unsigned PNG.</summary>
    public static string UnsignedPng(string path)
    {
        var image = new RgbImage(48, 32);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                bool disc = (x - 24) * (x - 24) + (y - 16) * (y - 16) < 100;
                image.SetPixel(x, y, (byte)(disc ? 230 : x * 5), (byte)(disc ? 120 : y * 7), (byte)(disc ? 40 : 150));
            }
        AtomicFile.WriteAllBytes(path, PngWriter.Encode(image));
        return path;
    }

    /// <summary>The same picture written as a generated (trainedAlgorithmicMedia) output, through the one synthetic-output policy, with made-up weights as its ingredient.</summary>
    public static string SignedPng(string path, string keyFolder)
    {
        string weights = Path.Combine(keyFolder, "generator.safetensors");
        Directory.CreateDirectory(keyFolder);
        File.WriteAllBytes(weights, [1, 2, 3, 4]);
        string unsigned = UnsignedPng(path + ".unsigned.png");
        using var identity = SigningIdentity.LoadOrCreateLocal(keyFolder);
        SyntheticOutputPolicy.Created([SyntheticOutputPolicy.Model(weights)], identity).Write(path, file => File.Copy(unsigned, file, overwrite: true));
        File.Delete(unsigned);
        return path;
    }
}
