namespace Usd1Reconciler.Solana.Decoding;

/// <summary>
/// The programs that can change an SPL mint's supply. jsonParsed labels both <c>"program": "spl-token"</c>, so only the
/// program id tells them apart (and tells them from an impostor that happens to emit the same instruction names).
/// </summary>
public static class SplTokenPrograms
{
    public const string Token = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";

    public const string Token2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";

    public static bool IsTokenProgram(string? programId) =>
        string.Equals(programId, Token, StringComparison.Ordinal) || string.Equals(programId, Token2022, StringComparison.Ordinal);
}
