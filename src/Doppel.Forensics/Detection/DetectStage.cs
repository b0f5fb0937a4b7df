namespace Doppel.Forensics.Detection;

/// <summary>The timed stages of detect: reading frames, finding faces (detector + landmarks + alignment), cutting crops, classifying.</summary>
public enum DetectStage { Decode, Faces, Crop, Classify }
