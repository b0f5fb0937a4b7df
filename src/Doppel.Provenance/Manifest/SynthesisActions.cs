using Doppel.Core;
using Doppel.Provenance.Cbor;

namespace Doppel.Provenance.Manifest;

/// <summary>
/// The <c>c2pa.actions.v2</c> assertion for a <see cref="SynthesisLabel"/>. A generated asset
/// is one c2pa.created action carrying trainedAlgorithmicMedia. A composite with a source is
/// c2pa.opened on that parentOf ingredient (C2PA: the first action, and the only one that may
/// name the parent), then c2pa.edited carrying compositeWithTrainedAlgorithmicMedia; a composite
/// whose source is not at hand is c2pa.created with the composite type. Inputs (the model) are
/// named in the parameters of the action that used them.
/// </summary>
public static class SynthesisActions
{
    public static Assertion For(SynthesisLabel label, IReadOnlyList<(IngredientRelationship Relationship, CborMap Uri)> ingredients)
    {
        var parents = ingredients.Where(i => i.Relationship == IngredientRelationship.ParentOf).Select(i => (object?)i.Uri).ToList();
        var inputs = ingredients.Where(i => i.Relationship != IngredientRelationship.ParentOf).Select(i => (object?)i.Uri).ToList();
        if (parents.Count > 1) throw new DoppelException("a C2PA manifest has at most one parent ingredient", "give one source file as the parent; others are inputs");
        if (parents.Count == 1 && label.Kind == SynthesisKind.Generated)
            throw new DoppelException("a fully generated asset has no parent", "an asset made by editing a source is a composite (--composite)");

        var actions = new List<object?>();
        if (parents.Count == 1)
        {
            actions.Add(new CborMap().Add("action", C2pa.Opened).Add("parameters", new CborMap().Add("ingredients", parents)));
            actions.Add(Synthesis(C2pa.Edited, label, inputs));
        }
        else actions.Add(Synthesis(C2pa.Created, label, inputs));
        return Assertion.Cbor(C2pa.ActionsV2, new CborMap().Add("actions", actions));
    }

    private static CborMap Synthesis(string action, SynthesisLabel label, List<object?> inputs)
    {
        var map = new CborMap()
            .Add("action", action)
            .Add("softwareAgent", new CborMap().Add("name", label.SoftwareAgent).Add("version", label.SoftwareVersion))
            .Add("digitalSourceType", label.DigitalSourceType);
        if (label.Description is { } d) map.Add("description", d);
        if (inputs.Count > 0) map.Add("parameters", new CborMap().Add("ingredients", inputs));
        return map;
    }
}
