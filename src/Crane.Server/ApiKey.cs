using System.Security.Cryptography;
using System.Text;
using Crane.Data;

namespace Crane.Server;

/// <summary>The key that guards model reload, compared in constant time.</summary>
internal sealed class ApiKey
{
    readonly byte[] _hash;

    ApiKey(string key) => _hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The key in <paramref name="path"/> (surrounding whitespace ignored; at least 16 characters).</summary>
    /// <exception cref="DataException">The file is missing, empty or the key too short.</exception>
    public static ApiKey Read(string path)
    {
        if (!File.Exists(path)) throw new DataException(path, null, "no such API key file.");
        var key = File.ReadAllText(path).Trim();
        if (key.Length < 16) throw new DataException(path, null, $"the API key has {key.Length} characters; use at least 16 (e.g. `openssl rand -hex 32 > {Path.GetFileName(path)}`).");
        return new ApiKey(key);
    }

    /// <summary>
    /// True when <paramref name="given"/> is the key. Both sides are hashed first, so the
    /// comparison takes the same time whatever the given key's length or first wrong byte.
    /// </summary>
    public bool Matches(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(given)));
}
