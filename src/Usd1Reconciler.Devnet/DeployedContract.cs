namespace Usd1Reconciler.Devnet;

/// <summary>A contract <see cref="AnvilSender.DeployAsync"/> created: its address (lower case) and the block it was mined in.</summary>
public sealed record DeployedContract(string Address, long Block);
