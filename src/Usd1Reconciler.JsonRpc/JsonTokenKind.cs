using System.Text.Json;

namespace Usd1Reconciler.JsonRpc;

/// <summary>Names a token as <see cref="JsonValueKind"/> names a value, so a reader stepping through tokens words its errors like one reading a document ("a JSON Array, not an object").</summary>
public static class JsonTokenKind
{
    public static string Of(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => nameof(JsonValueKind.Object),
        JsonTokenType.StartArray => nameof(JsonValueKind.Array),
        JsonTokenType.String => nameof(JsonValueKind.String),
        JsonTokenType.Number => nameof(JsonValueKind.Number),
        JsonTokenType.True => nameof(JsonValueKind.True),
        JsonTokenType.False => nameof(JsonValueKind.False),
        JsonTokenType.Null => nameof(JsonValueKind.Null),
        _ => token.ToString(),
    };
}
