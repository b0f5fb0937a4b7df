using System.Security.Cryptography;
using System.Text;

namespace Doppel.Studio.Security;

/// <summary>
/// The secret that opens Studio: 32 random bytes as URL-safe base64, made fresh for every run
/// and printed once in the URL. Compared in constant time.
/// </summary>
public sealed class AccessToken
{
    private readonly byte[] _bytes;

    public AccessToken(string value)
    {
        if (value.Length < 16) throw new ArgumentException("a token needs at least 16 characters", nameof(value));
        Value = value;
        _bytes = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    public static AccessToken CreateRandom() =>
        new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _bytes);
}
