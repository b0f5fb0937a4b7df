namespace Doppel.Provenance.Manifest;

/// <summary>C2PA labels and vocabulary used by Doppel.</summary>
public static class C2pa
{
    public const string StoreLabel = "c2pa";
    public const string AssertionStore = "c2pa.assertions";
    public const string Claim = "c2pa.claim";
    public const string ClaimV2 = "c2pa.claim.v2";
    public const string Signature = "c2pa.signature";
    public const string Actions = "c2pa.actions";
    public const string ActionsV2 = "c2pa.actions.v2";
    public const string Ingredient = "c2pa.ingredient";
    public const string IngredientV2 = "c2pa.ingredient.v2";
    public const string IngredientV3 = "c2pa.ingredient.v3";
    public const string DataHash = "c2pa.hash.data";
    public const string Created = "c2pa.created";
    public const string Opened = "c2pa.opened";
    public const string Edited = "c2pa.edited";
    public const string TrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    public const string CompositeWithTrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";
}
