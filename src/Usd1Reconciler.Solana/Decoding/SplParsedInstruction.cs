using System.Text.Json;

namespace Usd1Reconciler.Solana.Decoding;

/// <summary>One instruction of a jsonParsed transaction, where it ran (top-level index, inner position) and how errors name it.</summary>
internal sealed record SplParsedInstruction(JsonElement Element, string ProgramId, int Position, int SubPosition, string Where)
{
    /// <summary>The inner position of a top-level instruction (the same −1 supply events use).</summary>
    public const int TopLevel = -1;

    public bool IsTokenProgram => SplTokenPrograms.IsTokenProgram(ProgramId);
}
